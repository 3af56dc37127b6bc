/* SPDX-License-Identifier: GPL-3.0-or-later
 * Built by make installcheck with valac --pkg rawburn-1: the vapi works
 * (its namespace is Rb, from the C prefix, where GI has RawBurn). */
int main () {
	var name = Rb.Client.get_recorder_name ("/org/rawburn/RawBurn1/recorders/virtual0");
	if (name != "virtual0")
		return 1;
	print ("rawburn-1.vapi: %s\n", name);
	return 0;
}
