// Clocks for the module API. The cached time is what ValkeyModule_CachedMicroseconds
// returns: the engine sets it when a command (or a cron tick) starts, so nested callbacks
// of one command all see the same value.
#pragma once

namespace vmhost {

/** Sets the cached UNIX time in microseconds. Any thread.
 *    us > 0: that time;
 *    us < 0: "now, taken lazily": the first cached_time_us() afterwards reads the clock
 *            and caches it (a command that never asks pays nothing);
 *    us == 0: nothing cached: cached_time_us() reads the clock every time. */
void set_cached_time_us(long long us);
/** The cached UNIX time in microseconds (see set_cached_time_us). */
long long cached_time_us();
/** The current UNIX time in microseconds. */
long long now_us();
/** The current UNIX time in milliseconds. */
long long now_ms();
/** Microseconds of a monotonic clock since an arbitrary point. */
unsigned long long monotonic_us();

}  // namespace vmhost
