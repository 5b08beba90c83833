// The global lock API: ThreadSafeContextLock / TryLock / Unlock (the lock itself and the
// bridge that serves module threads live in native/host/gil.cc).
#include <cerrno>

#include "../host/gil.h"
#include "../../include/valkeymodule.h"

using namespace vmhost;

/** Takes the server lock for a thread-safe context: blocks until the JS thread is idle (or
 *  parked waiting for the lock) and no other module thread holds it. API calls made until
 *  ThreadSafeContextUnlock run as one engine execution unit. */
extern "C" void VM_ThreadSafeContextLock(ValkeyModuleCtx *ctx) {
    (void)ctx;
    gil_thread_lock();
}

/** Like ThreadSafeContextLock but never waits: VALKEYMODULE_OK when the lock was taken,
 *  VALKEYMODULE_ERR with errno EBUSY when someone (the JS thread or a module thread) holds it. */
extern "C" int VM_ThreadSafeContextTryLock(ValkeyModuleCtx *ctx) {
    (void)ctx;
    if (gil_thread_trylock()) return VALKEYMODULE_OK;
    errno = EBUSY;
    return VALKEYMODULE_ERR;
}

/** Releases the server lock: the execution unit the locked calls formed ends (its
 *  propagation is emitted, MULTI/EXEC around several writes, and ready keys are served). */
extern "C" void VM_ThreadSafeContextUnlock(ValkeyModuleCtx *ctx) {
    (void)ctx;
    gil_thread_unlock();
}
