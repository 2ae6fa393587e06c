// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Loss accounting. */
#include "stats.h"
#include "unit.h"

int main(void)
{
	struct counters slots[2] = {
		{ .seen = 5, .filtered = 1, .emitted = 3, .emit_failed = 1 },
		{ .seen = 7, .emitted = 4, .emit_failed = 3 },
	};
	struct stats st = { .lost = 2, .malformed = 1 };

	stats_read(&st, slots, 2);
	CHECK("read: sums the slots", st.seen == 12 && st.filtered == 1 && st.emitted == 7 &&
	      st.emit_failed == 4);
	CHECK("read: leaves the reader's counts", st.lost == 2 && st.malformed == 1);
	/* a full buffer is both a failed send and a lost record */
	CHECK("lost: failed sends beyond the lost records", stats_lost_total(&st) == 4);
	st.lost = 9;
	CHECK("lost: lost records beyond the failed sends", stats_lost_total(&st) == 9);
	CHECK("losses: and the malformed", stats_losses(&st) == 10);
	/* a send where no ring was is a failed send no lost record counts */
	slots[1].unsent = 2;
	stats_read(&st, slots, 2);
	CHECK_EQ("read: sums the sends no ring took", st.unsent, 2);
	st.lost = 1;
	CHECK("lost: the sends no ring took, with the full rings'", stats_lost_total(&st) == 4);
	st.lost = 3;
	CHECK("lost: the sends no ring took, with the lost records", stats_lost_total(&st) == 5);
	st = (struct stats){ 0 };
	CHECK("lost: none", stats_lost_total(&st) == 0 && stats_losses(&st) == 0);
	UNIT_EXIT();
}
