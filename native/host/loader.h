// Loading and unloading modules with Valkey's semantics (module-api-notes §3.1).
#pragma once
#include <string>
#include <vector>

#include "host.h"

namespace vmhost {

/** dlopens `path`, runs its OnLoad with `args` and registers the module on `host`.
 *  Returns the module, or nullptr after logging Valkey's reason; on failure the host is
 *  left exactly as it was (everything the module registered is removed, the .so closed). */
Module *load_module(Host *host, const std::string &path, const std::vector<std::string> &args);

/** Unloads a module by name. Returns "" on success, otherwise the reason Valkey gives after
 *  "Error unloading module: " (and logs it). OnUnload returning ERR cancels the unload. */
std::string unload_module(Host *host, const std::string &name);

/** Frees everything the module registered and the record itself (no OnUnload, no dlclose). */
void release_module(Host *host, Module *m);

}  // namespace vmhost
