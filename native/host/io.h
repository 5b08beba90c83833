// ValkeyModuleIO: the context of RDB/AOF callbacks (rdb_load, rdb_save, aux_load,
// aux_save(2), aof_rewrite, SaveDataTypeToString...), and ValkeyModuleDigest, the context
// of digest callbacks. Filled in by native/host/modtype.cc; used by native/api/rdbio.cc.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "host.h"

struct ValkeyModuleType;

struct ValkeyModuleIO {
    vmhost::Module *module = nullptr;  // module owning the type being saved/loaded
    int error = 0;                     // set when a load failed (IsIOError)
    ValkeyModuleCtx *ctx = nullptr;    // created on demand by GetContextFromIO
    ValkeyModuleType *type = nullptr;  // the type being saved/loaded
    ValkeyModuleString *key = nullptr; // the key (not owned), or nullptr when unknown
    int dbid = -1;                     // the key's database, or -1 when unknown
    int ver = 2;                       // 2: every value is preceded by its opcode (MODULE_2); 1: not (PRE_GA)
    uint64_t bytes = 0;                // bytes saved so far (loads leave it 0, as Valkey: error reports show it)
    // Saving: the RDB bytes go to `out`; `preFlush` (aux_save2) is written before the first
    // value, and dropped when the callback writes nothing.
    std::string *out = nullptr;
    bool compress = true;              // rdbcompression
    std::string preFlush;
    bool hasPreFlush = false;
    // Loading: the RDB bytes come from in[pos..end).
    const uint8_t *in = nullptr;
    size_t pos = 0, end = 0;
    bool fatal = false;                // a load error without HANDLE_IO_ERRORS (Valkey would exit)
    // AOF rewrite: the commands EmitAOF produced (nullptr outside aof_rewrite).
    std::vector<std::vector<std::string>> *aof = nullptr;
};

struct ValkeyModuleDigest {
    unsigned char o[20] = {0};         // the ordered digest elements are mixed into
    unsigned char x[20] = {0};         // the sequences ended so far, XORed together
    ValkeyModuleString *key = nullptr; // not owned
    int dbid = -1;
};

namespace vmhost {
/** Releases the context GetContextFromIO may have created (after the callback). */
void io_finish(ValkeyModuleIO *io);
}  // namespace vmhost
