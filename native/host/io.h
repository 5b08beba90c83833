// ValkeyModuleIO: the context of RDB/AOF/digest callbacks. Issue 6 fills it out; the
// logging API only needs to know which module it belongs to.
#pragma once
#include "host.h"

struct ValkeyModuleIO {
    vmhost::Module *module = nullptr;  // module owning the type being saved/loaded
    int error = 0;                     // set when a load failed (IsIOError)
    ValkeyModuleCtx *ctx = nullptr;    // created on demand by GetContextFromIO
};
