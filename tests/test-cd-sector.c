/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sector encoder: sizes and flags per IMAPI_CD_SECTOR_TYPE, header
 * addresses, what the EDC and the parity cover, checked with code that
 * shares nothing with the encoder's tables (a bitwise CRC, a shift-and-add
 * GF(2^8) multiply), known vectors, and two independent writers as
 * oracles: cdrdao and wodim encode data tracks themselves in raw mode, burn
 * them through rawburn-vdrive-run, and every sector of their tracks,
 * descrambled, must equal ours byte for byte.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rb-cd-sector.h"
#include "rb-msf.h"
#include "rb-scramble.h"
#include "rb-subchannel.h"
#include "rb-test-service.h"
#include "rb-umockdev-test.h"

/* what the exported image holds per sector: main channel and raw P-W */
#define RB_TEST_IMAGE_SECTOR (RB_CD_MAIN_SIZE + RB_SUBCHANNEL_PW_SIZE)
/* sectors per oracle track: the 4 s IMAPI asks of a track */
#define RB_TEST_TRACK_SECTORS 300

/* the CRC-32/CD-ROM-EDC check value (reveng's catalogue: the CRC of
 * "123456789") */
#define RB_TEST_EDC_CHECK 0x6EC2EDC4u

/*
 * cdrdao 1.2.4's Mode 1 sector at LBA 0 (00:02:00) with 2048 zero bytes,
 * as it burned it (the first sector of the MODE1 oracle track, whose first
 * block is zeros): its EDC, and the SHA-256 of the whole sector, unscrambled.
 */
#define RB_TEST_MODE1_ZERO_EDC 0x2B6813C5u
#define RB_TEST_MODE1_ZERO_SHA256 "b4f18ab66709c9b3fdef2721cc323e031b6728f3ca6c57b7c435c96189222250"

/* ---- references that share nothing with the encoder ---- */

/* the EDC a bit at a time, LSB first, as ECMA-130 14.3 describes it */
static guint32
rb_test_edc_bitwise(const guint8 *data, gsize len)
{
	guint32 crc = 0;

	for (gsize i = 0; i < len; i++) {
		crc ^= data[i];
		for (guint bit = 0; bit < 8; bit++)
			crc = (crc >> 1) ^ ((crc & 1) ? 0xD8018001u : 0);
	}
	return crc;
}

/* GF(2^8) multiply by shift and add, field polynomial x^8+x^4+x^3+x^2+1 */
static guint8
rb_test_gf_mul(guint8 a, guint8 b)
{
	guint8 product = 0;

	while (b != 0) {
		if (b & 1)
			product ^= a;
		a = (guint8)((a << 1) ^ ((a & 0x80) ? 0x1D : 0));
		b >>= 1;
	}
	return product;
}

/* the two syndromes of a code word @v of @n symbols (ECMA-130 Annex A,
 * check matrices H_P and H_Q): sum v_i and sum alpha^(n-1-i) v_i, by
 * Horner's rule; both are zero for a valid word */
static gboolean
rb_test_code_word_ok(const guint8 *v, guint n)
{
	guint8 s0 = 0;
	guint8 s1 = 0;

	for (guint i = 0; i < n; i++) {
		s0 ^= v[i];
		s1 = (guint8)(rb_test_gf_mul(s1, 2) ^ v[i]);
	}
	return s0 == 0 && s1 == 0;
}

/* all 86 P and 52 Q code words of the sector valid (both byte planes),
 * with the header as zeros if @zero_header */
static gboolean
rb_test_ecc_ok(const guint8 *sector, gboolean zero_header)
{
	guint8 copy[RB_CD_MAIN_SIZE];
	const guint8 *words = copy + 12;

	memcpy(copy, sector, RB_CD_MAIN_SIZE);
	if (zero_header)
		memset(copy + 12, 0, 4);
	for (guint plane = 0; plane < 2; plane++) {
		for (guint np = 0; np < 43; np++) {
			guint8 v[26];

			for (guint mp = 0; mp < 26; mp++)
				v[mp] = words[2 * (43 * mp + np) + plane];
			if (!rb_test_code_word_ok(v, 26))
				return FALSE;
		}
		for (guint nq = 0; nq < 26; nq++) {
			guint8 v[45];

			for (guint mq = 0; mq < 43; mq++)
				v[mq] = words[2 * ((44 * mq + 43 * nq) % 1118) + plane];
			v[43] = words[2 * (1118 + nq) + plane];
			v[44] = words[2 * (1144 + nq) + plane];
			if (!rb_test_code_word_ok(v, 45))
				return FALSE;
		}
	}
	return TRUE;
}

static guint32
rb_test_get_le32(const guint8 *p)
{
	return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static guint8
rb_test_bcd(guint value)
{
	return (guint8)((value / 10) << 4 | value % 10);
}

/* a pattern that differs from sector to sector and byte to byte */
static void
rb_test_fill(guint8 *data, gsize len, guint seed)
{
	for (gsize i = 0; i < len; i++)
		data[i] = (guint8)(i * 31 + i / 251 + seed * 7);
}

/* ---- types ---- */

START_TEST(test_type_properties)
{
	static const struct {
		gsize size;
		gboolean data;
		guint mode;
		gboolean raw;
	} expected[RB_CD_SECTOR_TYPES] = {
		[RB_CD_SECTOR_AUDIO] = {2352, FALSE, 0, FALSE},
		[RB_CD_SECTOR_MODE_ZERO] = {2336, TRUE, 0, FALSE},
		[RB_CD_SECTOR_MODE1] = {2048, TRUE, 1, FALSE},
		[RB_CD_SECTOR_MODE2_FORM0] = {2336, TRUE, 2, FALSE},
		[RB_CD_SECTOR_MODE2_FORM1] = {2048, TRUE, 2, FALSE},
		[RB_CD_SECTOR_MODE2_FORM2] = {2336, TRUE, 2, FALSE},
		[RB_CD_SECTOR_MODE1_RAW] = {2352, TRUE, 1, TRUE},
		[RB_CD_SECTOR_MODE2_FORM0_RAW] = {2352, TRUE, 2, TRUE},
		[RB_CD_SECTOR_MODE2_FORM1_RAW] = {2352, TRUE, 2, TRUE},
		[RB_CD_SECTOR_MODE2_FORM2_RAW] = {2352, TRUE, 2, TRUE},
	};

	/* IMAPI's numbers (imapi-reference §4.6) */
	ck_assert_int_eq(RB_CD_SECTOR_MODE2_FORM2, 5);
	ck_assert_int_eq(RB_CD_SECTOR_MODE2_FORM2_RAW, 9);
	for (guint type = 0; type < RB_CD_SECTOR_TYPES; type++) {
		ck_assert(rb_cd_sector_type_is_valid(type));
		ck_assert_uint_eq(rb_cd_sector_type_get_input_size(type), expected[type].size);
		ck_assert_int_eq(rb_cd_sector_type_is_data(type), expected[type].data);
		ck_assert_uint_eq(rb_cd_sector_type_get_mode(type), expected[type].mode);
		ck_assert_int_eq(rb_cd_sector_type_is_raw(type), expected[type].raw);
	}
	ck_assert(!rb_cd_sector_type_is_valid(RB_CD_SECTOR_TYPES));
	ck_assert(!rb_cd_sector_type_is_valid(G_MAXUINT));
}
END_TEST

/* ---- EDC ---- */

START_TEST(test_edc_vectors)
{
	g_autofree guint8 *data = g_malloc(2400);

	ck_assert_uint_eq(rb_cd_sector_edc((const guint8 *)"123456789", 9), RB_TEST_EDC_CHECK);
	ck_assert_uint_eq(rb_test_edc_bitwise((const guint8 *)"123456789", 9), RB_TEST_EDC_CHECK);
	ck_assert_uint_eq(rb_cd_sector_edc(NULL, 0), 0);
	/* a zero register stays zero over zeros */
	memset(data, 0, 2400);
	ck_assert_uint_eq(rb_cd_sector_edc(data, 2064), 0);
	/* every length, to reach all the tails of the four-byte loop */
	rb_test_fill(data, 2400, 3);
	for (gsize len = 0; len < 64; len++) {
		for (gsize from = 0; from < 4; from++) {
			ck_assert_uint_eq(rb_cd_sector_edc(data + from, len),
					  rb_test_edc_bitwise(data + from, len));
		}
	}
	ck_assert_uint_eq(rb_cd_sector_edc(data, 2400), rb_test_edc_bitwise(data, 2400));
}
END_TEST

/* ---- encoding ---- */

START_TEST(test_header_msf)
{
	static const struct {
		gint32 lba;
		guint8 m, s, f;
	} rows[] = {
		{-150, 0, 0, 0},
		{0, 0, 2, 0},
		/* lead-in addresses from 90:00:00, as MMC maps them (rb-msf.c):
		 * 99:59:74 is LBA -151, the last lead-in sector, not 449849 */
		{-151, 99, 59, 74},
		{-11634, 97, 26, 66},
		{-22650, 95, 0, 0},
		{4350, 1, 0, 0},
	};
	guint8 input[2352] = {0};
	guint8 out[RB_CD_MAIN_SIZE];
	static const RbCdSectorType types[] = {
		RB_CD_SECTOR_MODE_ZERO,
		RB_CD_SECTOR_MODE1,
		RB_CD_SECTOR_MODE2_FORM0,
		RB_CD_SECTOR_MODE2_FORM1,
		RB_CD_SECTOR_MODE2_FORM2,
	};

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		for (guint t = 0; t < G_N_ELEMENTS(types); t++) {
			rb_cd_sector_encode(types[t], rows[i].lba, input, out);
			ck_assert(rb_scramble_has_sync(out));
			ck_assert_uint_eq(out[12], rb_test_bcd(rows[i].m));
			ck_assert_uint_eq(out[13], rb_test_bcd(rows[i].s));
			ck_assert_uint_eq(out[14], rb_test_bcd(rows[i].f));
			ck_assert_uint_eq(out[15], rb_cd_sector_type_get_mode(types[t]));
		}
	}
}
END_TEST

START_TEST(test_mode1_layout)
{
	guint8 input[2048];
	guint8 out[RB_CD_MAIN_SIZE];
	guint8 out2[RB_CD_MAIN_SIZE];
	static const guint8 zeros[8] = {0};

	rb_test_fill(input, sizeof(input), 1);
	rb_cd_sector_encode(RB_CD_SECTOR_MODE1, 1234, input, out);
	ck_assert_mem_eq(out + 16, input, 2048);
	/* EDC over 0-2063 at 2064, little-endian; 8 zero bytes; P and Q */
	ck_assert_uint_eq(rb_test_get_le32(out + 2064), rb_test_edc_bitwise(out, 2064));
	ck_assert_mem_eq(out + 2068, zeros, 8);
	ck_assert(rb_test_ecc_ok(out, FALSE));
	ck_assert(!rb_test_ecc_ok(out, TRUE));
	/* the parity covers the header in Mode 1 */
	rb_cd_sector_encode(RB_CD_SECTOR_MODE1, 1235, input, out2);
	ck_assert(memcmp(out + 2064, out2 + 2064, 4) != 0);
	ck_assert(memcmp(out + 2076, out2 + 2076, 276) != 0);
}
END_TEST

/* one user byte changed: EDC, P and Q all change, and stay valid */
START_TEST(test_flip_changes_edc_and_ecc)
{
	static const struct {
		RbCdSectorType type;
		gsize user_offset;
		gsize edc_offset;
	} rows[] = {
		{RB_CD_SECTOR_MODE1, 16, 2064},
		{RB_CD_SECTOR_MODE2_FORM1, 24, 2072},
	};

	for (guint r = 0; r < G_N_ELEMENTS(rows); r++) {
		for (gsize at = 0; at < 2048; at += 511) {
			guint8 input[2048];
			guint8 a[RB_CD_MAIN_SIZE];
			guint8 b[RB_CD_MAIN_SIZE];
			gboolean form1 = rows[r].type == RB_CD_SECTOR_MODE2_FORM1;

			rb_test_fill(input, sizeof(input), r);
			rb_cd_sector_encode(rows[r].type, 100, input, a);
			input[at] ^= 0x01;
			rb_cd_sector_encode(rows[r].type, 100, input, b);
			ck_assert_uint_eq(a[rows[r].user_offset + at] ^ b[rows[r].user_offset + at],
					  0x01);
			ck_assert(memcmp(a + rows[r].edc_offset, b + rows[r].edc_offset, 4) != 0);
			/* P: 2076-2247, Q: 2248-2351 */
			ck_assert(memcmp(a + 2076, b + 2076, 172) != 0);
			ck_assert(memcmp(a + 2248, b + 2248, 104) != 0);
			ck_assert(rb_test_ecc_ok(a, form1));
			ck_assert(rb_test_ecc_ok(b, form1));
		}
	}
}
END_TEST

START_TEST(test_mode2_form1_layout)
{
	guint8 input[2048];
	guint8 out[RB_CD_MAIN_SIZE];
	guint8 out2[RB_CD_MAIN_SIZE];
	static const guint8 zeros[8] = {0};

	rb_test_fill(input, sizeof(input), 2);
	rb_cd_sector_encode(RB_CD_SECTOR_MODE2_FORM1, 77, input, out);
	/* a zero sub-header (Form 1, as cdrdao writes it), data at 24 */
	ck_assert_mem_eq(out + 16, zeros, 8);
	ck_assert_mem_eq(out + 24, input, 2048);
	/* EDC over 16-2071, not over the sync and header */
	ck_assert_uint_eq(rb_test_get_le32(out + 2072), rb_test_edc_bitwise(out + 16, 2056));
	ck_assert_uint_eq(rb_test_get_le32(out + 2072), rb_cd_sector_edc(out + 16, 2056));
	ck_assert_uint_ne(rb_test_get_le32(out + 2072), rb_cd_sector_edc(out, 2072));
	/* P and Q with the header as zeros, the header still there */
	ck_assert(rb_test_ecc_ok(out, TRUE));
	ck_assert(!rb_test_ecc_ok(out, FALSE));
	ck_assert_uint_eq(out[15], 2);
	/* so only the header depends on the address */
	rb_cd_sector_encode(RB_CD_SECTOR_MODE2_FORM1, 78, input, out2);
	ck_assert(memcmp(out + 12, out2 + 12, 4) != 0);
	ck_assert_mem_eq(out + 16, out2 + 16, RB_CD_MAIN_SIZE - 16);
}
END_TEST

START_TEST(test_ecc_keeps_header)
{
	guint8 sector[RB_CD_MAIN_SIZE];
	guint8 before[RB_CD_MAIN_SIZE];

	rb_test_fill(sector, sizeof(sector), 9);
	memcpy(before, sector, sizeof(sector));
	rb_cd_sector_ecc(sector, TRUE);
	ck_assert_mem_eq(sector, before, 2076);
	ck_assert(rb_test_ecc_ok(sector, TRUE));
	rb_cd_sector_ecc(sector, FALSE);
	ck_assert_mem_eq(sector, before, 2076);
	ck_assert(rb_test_ecc_ok(sector, FALSE));
}
END_TEST

START_TEST(test_mode2_form2_layout)
{
	static const guint8 subheader[8] = {1, 2, 0x08, 0, 1, 2, 0x08, 0};
	static const guint8 form2[8] = {1, 2, 0x28, 0, 1, 2, 0x28, 0};
	guint8 input[2336];
	guint8 out[RB_CD_MAIN_SIZE];

	rb_test_fill(input, sizeof(input), 4);
	/* sub-header without the form bit: the type says Form 2, so it is set */
	memcpy(input, subheader, 8);
	rb_cd_sector_encode(RB_CD_SECTOR_MODE2_FORM2, 5, input, out);
	ck_assert_mem_eq(out + 16, form2, 8);
	ck_assert_mem_eq(out + 24, input + 8, 2324);
	/* the EDC over 16-2347 replaces the optional CRC */
	ck_assert_uint_eq(rb_test_get_le32(out + 2348), rb_test_edc_bitwise(out + 16, 2332));
	/* with the bit and the EDC already right, the input passes unchanged */
	memcpy(input, out + 16, 2336);
	rb_cd_sector_encode(RB_CD_SECTOR_MODE2_FORM2, 5, input, out);
	ck_assert_mem_eq(out + 16, input, 2336);
}
END_TEST

START_TEST(test_mode2_form0_and_mode_zero)
{
	guint8 input[2336];
	guint8 out[RB_CD_MAIN_SIZE];
	guint8 zeros[2336] = {0};

	rb_test_fill(input, sizeof(input), 5);
	rb_cd_sector_encode(RB_CD_SECTOR_MODE2_FORM0, 10, input, out);
	ck_assert_uint_eq(out[15], 2);
	ck_assert_mem_eq(out + 16, input, 2336);
	/* Mode 0: zeros whatever the track gave */
	rb_cd_sector_encode(RB_CD_SECTOR_MODE_ZERO, 10, input, out);
	ck_assert_uint_eq(out[15], 0);
	ck_assert_mem_eq(out + 16, zeros, 2336);
}
END_TEST

START_TEST(test_raw_and_audio_copied)
{
	guint8 input[RB_CD_MAIN_SIZE];
	guint8 out[RB_CD_MAIN_SIZE];

	for (guint type = 0; type < RB_CD_SECTOR_TYPES; type++) {
		if (rb_cd_sector_type_get_input_size(type) != RB_CD_MAIN_SIZE)
			continue;
		rb_test_fill(input, sizeof(input), type);
		memset(out, 0xAA, sizeof(out));
		rb_cd_sector_encode(type, 1000, input, out);
		ck_assert_mem_eq(out, input, RB_CD_MAIN_SIZE);
	}
}
END_TEST

/* a known sector, checked without any tool: cdrdao's Mode 1 LBA 0 */
START_TEST(test_mode1_zero_vector)
{
	static const guint8 header[4] = {0x00, 0x02, 0x00, 0x01};
	guint8 zeros[2048] = {0};
	guint8 out[RB_CD_MAIN_SIZE];
	g_autofree gchar *sha = NULL;

	rb_cd_sector_encode(RB_CD_SECTOR_MODE1, 0, zeros, out);
	ck_assert_mem_eq(out + 12, header, 4);
	ck_assert_uint_eq(rb_test_get_le32(out + 2064), RB_TEST_MODE1_ZERO_EDC);
	sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, out, sizeof(out));
	ck_assert_str_eq(sha, RB_TEST_MODE1_ZERO_SHA256);
}
END_TEST

/* the tables are built once, whichever thread comes first */
static gpointer
rb_test_encode_thread(gpointer user_data)
{
	guint8 input[2048];
	guint8 out[RB_CD_MAIN_SIZE];

	rb_test_fill(input, sizeof(input), GPOINTER_TO_UINT(user_data));
	rb_cd_sector_encode(RB_CD_SECTOR_MODE1, 0, input, out);
	return GUINT_TO_POINTER(rb_test_ecc_ok(out, FALSE) &&
				rb_test_get_le32(out + 2064) == rb_test_edc_bitwise(out, 2064));
}

START_TEST(test_tables_threads)
{
	GThread *threads[8];

	for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
		threads[i] = g_thread_new("encode", rb_test_encode_thread, GUINT_TO_POINTER(i));
	for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
		ck_assert(g_thread_join(threads[i]) != NULL);
}
END_TEST

/* ---- oracles: cdrdao and wodim ---- */

/* one track of an oracle disc: the file the writer reads, and how each of
 * its blocks becomes our input */
typedef struct {
	const gchar *file;
	gsize block_size;        /* what the writer reads per sector */
	RbCdSectorType type;     /* what we encode it as */
	gsize input_offset;      /* where the block goes in our input */
	const guint8 *subheader; /* our input's first 8 bytes, if not the block's */
} RbTestOracleTrack;

typedef struct {
	const gchar *name;
	const gchar *program;
	const gchar *media;
	const gchar *args[12];
	const gchar *toc; /* written to disc.toc, if any */
	RbTestOracleTrack tracks[4];
	guint n_tracks;
} RbTestOracle;

/* what cdrdao puts before a MODE2_FORM2 block (trackdb/Track.cc): zeros
 * with the form bit; we get the same from a zero sub-header */
static const guint8 rb_test_zero_subheader[8] = {0};

static const RbTestOracle rb_test_oracles[] = {
	{"cdrdao MODE1",
	 "cdrdao",
	 "cd-r-80",
	 {"cdrdao",
	  "write",
	  "--device",
	  "/dev/sr0",
	  "--driver",
	  "generic-mmc-raw",
	  "-n",
	  "disc.toc",
	  NULL},
	 "CD_ROM\nTRACK MODE1\nDATAFILE \"mode1.bin\"\n",
	 {{"mode1.bin", 2048, RB_CD_SECTOR_MODE1, 0, NULL}},
	 1},
	/* one XA disc for all the Mode 2 kinds cdrdao writes */
	{"cdrdao Mode 2",
	 "cdrdao",
	 "cd-r-80",
	 {"cdrdao",
	  "write",
	  "--device",
	  "/dev/sr0",
	  "--driver",
	  "generic-mmc-raw",
	  "-n",
	  "disc.toc",
	  NULL},
	 "CD_ROM_XA\n"
	 "TRACK MODE2_FORM1\nDATAFILE \"form1.bin\"\n"
	 "TRACK MODE2_FORM2\nDATAFILE \"form2.bin\"\n"
	 "TRACK MODE2_FORM_MIX\nDATAFILE \"mix.bin\"\n"
	 "TRACK MODE2\nDATAFILE \"formless.bin\"\n",
	 {{"form1.bin", 2048, RB_CD_SECTOR_MODE2_FORM1, 0, NULL},
	  /* 2324 user bytes; ours has the sub-header, and an optional CRC
	   * of zeros that the EDC replaces */
	  {"form2.bin", 2324, RB_CD_SECTOR_MODE2_FORM2, 8, rb_test_zero_subheader},
	  /* 2336 with a Form 2 sub-header and junk where the EDC goes:
	   * IMAPI's MODE2FORM2 input exactly */
	  {"mix.bin", 2336, RB_CD_SECTOR_MODE2_FORM2, 0, NULL},
	  {"formless.bin", 2336, RB_CD_SECTOR_MODE2_FORM0, 0, NULL}},
	 4},
	{"wodim -data",
	 "wodim",
	 "cd-r-74",
	 {"wodim", "dev=/dev/sr0", "-raw96r", "-data", "gracetime=2", "mode1.bin", NULL},
	 NULL,
	 {{"mode1.bin", 2048, RB_CD_SECTOR_MODE1, 0, NULL}},
	 1},
};

/* @track's data: a pattern, a zero first block (the known vector), and for
 * MODE2_FORM_MIX a Form 2 sub-header with other bits in some blocks */
static guint8 *
rb_test_oracle_data(const RbTestOracleTrack *track, guint seed)
{
	gsize size = track->block_size * RB_TEST_TRACK_SECTORS;
	guint8 *data = g_malloc(size);

	rb_test_fill(data, size, seed);
	memset(data, 0, track->block_size);
	if (g_strcmp0(track->file, "mix.bin") == 0) {
		for (guint i = 0; i < RB_TEST_TRACK_SECTORS; i++) {
			guint8 *subheader = data + (gsize)i * track->block_size;
			guint8 submode = (guint8)(0x20 | (i % 2 ? 0x08 : 0) | (i % 3 ? 0x01 : 0));
			const guint8 bytes[8] = {
				1, (guint8)i, submode, 0, 1, (guint8)i, submode, 0};

			memcpy(subheader, bytes, 8);
		}
	}
	return data;
}

START_TEST(test_oracle_writers)
{
	const RbTestOracle *oracle = &rb_test_oracles[_i];
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("rawburn-cd-sector-XXXXXX", &error);
	g_autofree gchar *image = NULL;
	g_autofree gchar *program = g_find_program_in_path(oracle->program);
	g_autofree gchar *old_cwd = g_get_current_dir();
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_auto(GStrv) envp = g_get_environ();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *disc = NULL;
	guint8 *data[4] = {NULL};
	guint matched[4] = {0};
	gsize length = 0;
	gint64 started;
	gint wait_status;

	ck_assert_msg(dir != NULL, "%s", error != NULL ? error->message : "");
	ck_assert_msg(program != NULL,
		      "%s is missing: install it (.ci/build does); the sector encoder needs it "
		      "as its oracle",
		      oracle->program);
	image = g_build_filename(dir, "disc.img", NULL);
	for (guint t = 0; t < oracle->n_tracks; t++) {
		const RbTestOracleTrack *track = &oracle->tracks[t];
		g_autofree gchar *path = g_build_filename(dir, track->file, NULL);

		data[t] = rb_test_oracle_data(track, t + 1);
		ck_assert(g_file_set_contents(path,
					      (const gchar *)data[t],
					      (gssize)(track->block_size * RB_TEST_TRACK_SECTORS),
					      &error));
	}
	if (oracle->toc != NULL) {
		g_autofree gchar *toc = g_build_filename(dir, "disc.toc", NULL);

		ck_assert(g_file_set_contents(toc, oracle->toc, -1, &error));
	}

	g_ptr_array_add(argv, (gpointer)rb_test_tool_path());
	g_ptr_array_add(argv, (gpointer) "--speed=52");
	/* no real-time pacing: the checks are of what is written, not when */
	g_ptr_array_add(argv, (gpointer) "--fast");
	g_ptr_array_add(argv, (gpointer) "--media");
	g_ptr_array_add(argv, (gpointer)oracle->media);
	g_ptr_array_add(argv, (gpointer) "--export");
	g_ptr_array_add(argv, image);
	for (guint i = 0; oracle->args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)oracle->args[i]);
	g_ptr_array_add(argv, NULL);
	envp = g_environ_unsetenv(envp, "LD_PRELOAD");
	envp = g_environ_unsetenv(envp, "UMOCKDEV_DIR");
	started = g_get_monotonic_time();
	ck_assert_int_eq(chdir(dir), 0);
	wait_status = rb_test_spawn((const gchar **)argv->pdata, envp, &out, &err);
	ck_assert_int_eq(chdir(old_cwd), 0);
	ck_assert_msg(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0, "%s%s", out, err);
	g_debug("%s burned in %.1f s",
		oracle->name,
		(gdouble)(g_get_monotonic_time() - started) / G_USEC_PER_SEC);

	ck_assert(g_file_get_contents(image, &disc, &length, &error));
	ck_assert_uint_eq(length % RB_TEST_IMAGE_SECTOR, 0);
	/* the sectors of each track found by their own Q: track number,
	 * index 1, and the relative time as the block number */
	for (gsize at = 0; at < length; at += RB_TEST_IMAGE_SECTOR) {
		const guint8 *main = (const guint8 *)disc + at;
		const RbTestOracleTrack *track;
		guint8 q[RB_SUBQ_SIZE];
		guint8 input[RB_CD_MAIN_SIZE] = {0};
		guint8 sector[RB_CD_MAIN_SIZE];
		guint8 expected[RB_CD_MAIN_SIZE];
		RbSubQ subq;
		gint32 lba;
		gint32 block;

		rb_subchannel_pw_get_q(main + RB_CD_MAIN_SIZE, q);
		if (!rb_subq_decode(q, &subq, NULL) || subq.adr != RB_SUBQ_ADR_POSITION ||
		    subq.tno == RB_SUBQ_TNO_LEADIN || subq.tno == RB_SUBQ_TNO_LEADOUT ||
		    subq.index_or_point != 1)
			continue;
		ck_assert_uint_le(subq.tno, oracle->n_tracks);
		track = &oracle->tracks[subq.tno - 1];
		lba = rb_msf_to_lba(subq.absolute);
		block = rb_msf_to_lba(subq.relative) + RB_CD_MSF_OFFSET;
		ck_assert_int_ge(block, 0);
		ck_assert_int_lt(block, RB_TEST_TRACK_SECTORS);
		/* the data bit of Q's control: a data track */
		ck_assert_uint_eq(subq.ctl & 0x4, 0x4);

		memcpy(sector, main, RB_CD_MAIN_SIZE);
		rb_scramble_sector(sector);
		if (track->subheader != NULL)
			memcpy(input, track->subheader, 8);
		memcpy(input + track->input_offset,
		       data[subq.tno - 1] + (gsize)block * track->block_size,
		       track->block_size);
		rb_cd_sector_encode(track->type, lba, input, expected);
		for (gsize i = 0; i < RB_CD_MAIN_SIZE; i++) {
			ck_assert_msg(sector[i] == expected[i],
				      "%s track %u, LBA %d: byte %zu is %02x, we make %02x",
				      oracle->name,
				      subq.tno,
				      lba,
				      i,
				      sector[i],
				      expected[i]);
		}
		matched[subq.tno - 1]++;
	}
	for (guint t = 0; t < oracle->n_tracks; t++) {
		ck_assert_msg(matched[t] == RB_TEST_TRACK_SECTORS,
			      "%s track %u: %u sectors compared",
			      oracle->name,
			      t + 1,
			      matched[t]);
		g_print("%s: track %u (%s) %u of %u sectors equal\n",
			oracle->name,
			t + 1,
			oracle->tracks[t].file,
			matched[t],
			RB_TEST_TRACK_SECTORS);
		g_free(data[t]);
		g_autofree gchar *path = g_build_filename(dir, oracle->tracks[t].file, NULL);
		g_unlink(path);
	}
	{
		g_autofree gchar *toc = g_build_filename(dir, "disc.toc", NULL);

		g_unlink(toc);
	}
	g_unlink(image);
	g_rmdir(dir);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("cd-sector");
	TCase *tc_units = tcase_create("units");
	TCase *tc_oracles = tcase_create("oracles");

	tcase_add_test(tc_units, test_type_properties);
	tcase_add_test(tc_units, test_edc_vectors);
	tcase_add_test(tc_units, test_header_msf);
	tcase_add_test(tc_units, test_mode1_layout);
	tcase_add_test(tc_units, test_flip_changes_edc_and_ecc);
	tcase_add_test(tc_units, test_mode2_form1_layout);
	tcase_add_test(tc_units, test_ecc_keeps_header);
	tcase_add_test(tc_units, test_mode2_form2_layout);
	tcase_add_test(tc_units, test_mode2_form0_and_mode_zero);
	tcase_add_test(tc_units, test_raw_and_audio_copied);
	tcase_add_test(tc_units, test_mode1_zero_vector);
	tcase_add_test(tc_units, test_tables_threads);
	suite_add_tcase(suite, tc_units);

	tcase_set_timeout(tc_oracles, RB_TEST_TIMEOUT_SECONDS);
	tcase_add_loop_test(tc_oracles, test_oracle_writers, 0, G_N_ELEMENTS(rb_test_oracles));
	suite_add_tcase(suite, tc_oracles);

	return rb_test_run_suite(suite);
}
