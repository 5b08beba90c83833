// Whole-dataset RDB from modules: RdbStreamCreateFromFile, RdbStreamFree, RdbLoad, RdbSave.
//
// A stream only names a file; loading and saving are done by the engine's RDB file layer
// (src/persistence/rdb-file.ts) through the key bridge, ops 1100-1199 served by
// src/modules/key-ops-persistence.ts. The bridge answers 0 on success or an errno value.
#include <cerrno>
#include <cstring>
#include <string>

#include "../host/context.h"
#include "../host/host.h"
#include "../host/jsbytes.h"
#include "../host/key.h"

using namespace vmhost;

/** An RDB stream: only the file kind exists (VALKEYMODULE_RDB_STREAM_FILE in Valkey). */
struct ValkeyModuleRdbStream {
    std::string filename;
};

namespace {

// Op numbers of this area (served by src/modules/key-ops-persistence.ts).
constexpr int KOP_RDB_SAVE_FILE = 1100;  // (filename) -> 0 or errno
constexpr int KOP_RDB_LOAD_FILE = 1101;  // (filename) -> 0 or errno (flushes first)

/** Runs a file operation through the bridge; sets errno and returns OK/ERR. */
int file_op(ValkeyModuleCtx *ctx, int op, const ValkeyModuleRdbStream *stream) {
    Host *h = ctx && ctx->host ? ctx->host : g_current_host;
    if (!h) {
        errno = EINVAL;
        return VALKEYMODULE_ERR;
    }
    Napi::HandleScope scope(h->env);
    Napi::Value r = key_op(h, op, 0, nullptr, bytes_to_js(h->env, stream->filename.data(), stream->filename.size()));
    int err = r.IsNumber() ? r.As<Napi::Number>().Int32Value() : EIO;
    if (err != 0) {
        errno = err;
        return VALKEYMODULE_ERR;
    }
    errno = 0;
    return VALKEYMODULE_OK;
}

}  // namespace

extern "C" {

/** Creates a stream naming an RDB file for RdbLoad/RdbSave; the caller frees it with
 *  RdbStreamFree. Returns NULL when filename is NULL. */
ValkeyModuleRdbStream *VM_RdbStreamCreateFromFile(const char *filename) {
    if (!filename) return nullptr;
    auto *s = new ValkeyModuleRdbStream();
    s->filename = filename;
    return s;
}

/** Releases a stream made by RdbStreamCreateFromFile (NULL is ignored). */
void VM_RdbStreamFree(ValkeyModuleRdbStream *stream) {
    delete stream;
}

/** Empties every database, then loads the stream's RDB file. flags must be 0. Returns OK, or
 *  ERR with errno EINVAL (bad arguments), ENOENT (no such file) or EIO (unreadable or
 *  corrupt file: the databases are left empty). */
int VM_RdbLoad(ValkeyModuleCtx *ctx, ValkeyModuleRdbStream *stream, int flags) {
    if (!stream || flags != 0) {
        errno = EINVAL;
        return VALKEYMODULE_ERR;
    }
    return file_op(ctx, KOP_RDB_LOAD_FILE, stream);
}

/** Saves the whole dataset to the stream's file (through a temp file, fsynced and renamed).
 *  flags must be 0. Returns OK, or ERR with errno EINVAL or the file system's error. */
int VM_RdbSave(ValkeyModuleCtx *ctx, ValkeyModuleRdbStream *stream, int flags) {
    if (!stream || flags != 0) {
        errno = EINVAL;
        return VALKEYMODULE_ERR;
    }
    return file_op(ctx, KOP_RDB_SAVE_FILE, stream);
}

}  // extern "C"
