/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The emulated drive's validation report as the ValidationReport property
 * carries it: the counters under the names the contract gives them, the P
 * channel findings per kind, and the first problems with their LBAs.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbDaemon"

#include "rb-virtual-report.h"

static void
rb_virtual_report_add(GVariantBuilder *builder, const gchar *key, GVariant *value)
{
	g_variant_builder_add(builder, "{sv}", key, value);
}

static GVariant *
rb_virtual_report_p_by_kind(const RbVdriveReport *report)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE("a{su}"));

	for (guint kind = 0; kind < RB_VDRIVE_P_KINDS; kind++)
		g_variant_builder_add(&builder,
				      "{su}",
				      rb_vdrive_p_kind_to_string((RbVdrivePKind)kind),
				      report->p_by_kind[kind]);
	return g_variant_builder_end(&builder);
}

static GVariant *
rb_virtual_report_problems(const RbVdriveReport *report)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE("aa{sv}"));

	for (guint i = 0; i < MIN(report->n_problems, RB_VDRIVE_MAX_PROBLEMS); i++) {
		const RbVdriveProblem *problem = &report->problems[i];

		g_variant_builder_open(&builder, G_VARIANT_TYPE_VARDICT);
		rb_virtual_report_add(&builder, "Lba", g_variant_new_int32(problem->lba));
		rb_virtual_report_add(
			&builder,
			"Kind",
			g_variant_new_string(problem->kind != NULL ? problem->kind : ""));
		/* the drive wrote it; still, only valid UTF-8 may go on the bus */
		rb_virtual_report_add(
			&builder,
			"Detail",
			g_variant_new_take_string(g_utf8_make_valid(problem->detail, -1)));
		g_variant_builder_close(&builder);
	}
	return g_variant_builder_end(&builder);
}

GVariant *
rb_virtual_report_to_variant(const RbVdriveReport *report)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	GVariantBuilder *b = &builder;

	g_return_val_if_fail(report != NULL, NULL);

	rb_virtual_report_add(b, "SectorsWritten", g_variant_new_uint64(report->sectors_written));
	rb_virtual_report_add(b, "LeadInSectors", g_variant_new_uint64(report->leadin_sectors));
	rb_virtual_report_add(b, "ProgramSectors", g_variant_new_uint64(report->program_sectors));
	rb_virtual_report_add(b, "LeadOutSectors", g_variant_new_uint64(report->leadout_sectors));
	rb_virtual_report_add(b, "BadQCrc", g_variant_new_uint64(report->bad_q_crc));
	rb_virtual_report_add(b, "PlainQCrc", g_variant_new_uint64(report->plain_q_crc));
	rb_virtual_report_add(
		b, "AddressMismatches", g_variant_new_uint64(report->address_mismatches));
	rb_virtual_report_add(b, "TocMismatches", g_variant_new_uint64(report->toc_mismatches));
	rb_virtual_report_add(b, "TocEntries", g_variant_new_uint32(report->toc_entries));
	rb_virtual_report_add(b, "TocShortRuns", g_variant_new_uint32(report->toc_short_runs));
	rb_virtual_report_add(b,
			      "RelativeTimeMismatches",
			      g_variant_new_uint32(report->relative_time_mismatches));
	rb_virtual_report_add(b, "SequenceErrors", g_variant_new_uint32(report->sequence_errors));
	rb_virtual_report_add(
		b, "PChannelMismatches", g_variant_new_uint32(report->p_channel_mismatches));
	rb_virtual_report_add(b, "PChannelByKind", rb_virtual_report_p_by_kind(report));
	rb_virtual_report_add(b, "McnIsrcFrames", g_variant_new_uint32(report->mcn_isrc_frames));
	rb_virtual_report_add(b, "McnIsrcErrors", g_variant_new_uint32(report->mcn_isrc_errors));
	rb_virtual_report_add(b, "CdTextPacks", g_variant_new_uint32(report->cdtext_packs));
	rb_virtual_report_add(
		b, "CdTextCrcErrors", g_variant_new_uint32(report->cdtext_crc_errors));
	rb_virtual_report_add(b, "Tracks", g_variant_new_uint32(report->tracks));
	rb_virtual_report_add(b, "FirstLba", g_variant_new_int32(report->first_lba));
	rb_virtual_report_add(b,
			      "LeadOutStart",
			      g_variant_new_int32(report->leadout_start == G_MININT32
							  ? 0
							  : report->leadout_start));
	rb_virtual_report_add(b, "Complete", g_variant_new_boolean(report->complete));
	rb_virtual_report_add(b, "TestWrite", g_variant_new_boolean(report->test_write));
	/* what reached the disc: nothing of a test write */
	rb_virtual_report_add(
		b,
		"SectorsRecorded",
		g_variant_new_uint64(report->test_write ? 0 : report->sectors_written));
	rb_virtual_report_add(b, "Underruns", g_variant_new_uint32(report->underruns));
	rb_virtual_report_add(b, "FirstProblems", rb_virtual_report_problems(report));
	rb_virtual_report_add(
		b,
		"LastBlank",
		g_variant_new_string(report->last_blank == RB_VDRIVE_BLANK_FULL      ? "full"
				     : report->last_blank == RB_VDRIVE_BLANK_MINIMAL ? "minimal"
										     : ""));
	return g_variant_builder_end(b);
}
