/* SPDX-License-Identifier: GPL-3.0-or-later
 * Built by make installcheck with valac --pkg rawburn-1: the vapi works. */
int main () {
	var name = RawBurn.Client.get_recorder_name ("/org/rawburn/RawBurn1/recorders/virtual0");
	if (name != "virtual0")
		return 1;
	print ("rawburn-1.vapi: %s\n", name);
	return 0;
}
