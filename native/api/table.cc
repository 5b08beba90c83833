// THE table: every API of the module API reference, by area, mapped to its
// implementation or to nothing (with the reason). GetApi answers from here, under both
// the "ValkeyModule_" and the "RedisModule_" name, and `vmhost apis` / engine.apiCoverage()
// count from here. Nothing else decides whether an API exists.
//
// The rows themselves are in table_list.h (one X-macro, also expanded by host/gil_api.cc);
// each row's kind says what GetApi hands out:
//   API(area, Name)           implemented by VM_Name; engine API: a module thread's call is
//                             marshalled to the JS thread (GetApi hands out the trampoline)
//   ANY(area, Name)           implemented by VM_Name, safe on any thread: handed out directly
//   NONE(area, Name, reason)  GetApi answers ERR, so the module's pointer stays NULL and
//                             RMAPI_FUNC_SUPPORTED(ValkeyModule_Name) is false
#include "table.h"
#include "table_list.h"

#include "../host/gil.h"

#include <cstring>
#include <string>
#include <unordered_map>

// Implementations have C linkage; their exact types live in include/valkeymodule.h. Here
// only their addresses are needed, so each is declared as a plain function.
#define VMHOST_DECLARE(area, name) extern "C" void VM_##name(void);
#define VMHOST_SKIP(area, name, reason)
VMHOST_API_LIST(VMHOST_DECLARE, VMHOST_DECLARE, VMHOST_SKIP)

namespace vmhost {

#define VMHOST_ROW_API(area, name) {area, #name, reinterpret_cast<void *>(&VM_##name), nullptr},
#define VMHOST_ROW_NONE(area, name, reason) {area, #name, nullptr, reason},
const ApiRow kApiTable[] = {VMHOST_API_LIST(VMHOST_ROW_API, VMHOST_ROW_API, VMHOST_ROW_NONE)};
const size_t kApiTableSize = sizeof(kApiTable) / sizeof(kApiTable[0]);

namespace {
/** Whether each row of kApiTable is an ANY row (handed out directly on every thread). */
#define VMHOST_KIND_ENGINE(area, name) false,
#define VMHOST_KIND_ANY(area, name) true,
#define VMHOST_KIND_NONE(area, name, reason) false,
const bool kAnyThread[] = {VMHOST_API_LIST(VMHOST_KIND_ENGINE, VMHOST_KIND_ANY, VMHOST_KIND_NONE)};
static_assert(sizeof(kAnyThread) / sizeof(kAnyThread[0]) == sizeof(kApiTable) / sizeof(kApiTable[0]),
              "one kind per row");

/** An implemented API: its address, and whether it is safe on any thread (ANY row). */
struct Impl {
    void *fn;
    bool any_thread;
};

/** Both lookup names of every implemented API -> its implementation. Built on first use. */
const std::unordered_map<std::string, Impl> &lookup() {
    static const std::unordered_map<std::string, Impl> map = [] {
        std::unordered_map<std::string, Impl> m;
        for (size_t i = 0; i < kApiTableSize; i++) {
            const ApiRow &row = kApiTable[i];
            if (!row.fn) continue;
            m.emplace(std::string("ValkeyModule_") + row.name, Impl{row.fn, kAnyThread[i]});
            m.emplace(std::string("RedisModule_") + row.name, Impl{row.fn, kAnyThread[i]});
        }
        return m;
    }();
    return map;
}

/** The row registered under a full name, or nullptr. */
const Impl *find_impl(const char *name) {
    if (!name) return nullptr;
    const auto &m = lookup();
    auto it = m.find(name);
    return it == m.end() ? nullptr : &it->second;
}
}  // namespace

void *api_lookup(const char *name) {
    const Impl *impl = find_impl(name);
    return impl ? impl->fn : nullptr;
}

/** GetApi: writes the implementation's address to *targetPtrPtr and returns OK, or returns
 *  ERR and leaves the target untouched for an unknown or unimplemented name. */
extern "C" int vmhost_get_api(const char *name, void *targetPtrPtr) {
    const Impl *impl = find_impl(name);
    if (!impl) return VALKEYMODULE_ERR;
    // ANY rows are handed out as they are; API rows reach the engine, so module threads call
    // them through the trampolines of host/gil_api.cc.
    *static_cast<void **>(targetPtrPtr) = impl->any_thread ? impl->fn : gil_wrap_api(name, impl->fn);
    return VALKEYMODULE_OK;
}

}  // namespace vmhost
