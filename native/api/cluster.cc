// The cluster API of a server that does not run in cluster mode: there is no node ID, no
// node list and no cluster bus, so every query answers as Valkey does with cluster mode
// disabled (ClusterKeySlot and ClusterCanonicalKeyNameInSlot live with the other key
// helpers and work regardless).
#include <cstdint>

#include "../host/context.h"

extern "C" {

/** Registers a cluster message receiver: outside cluster mode there is no bus, so nothing
 *  is registered (as in Valkey). */
void VM_RegisterClusterMessageReceiver(ValkeyModuleCtx *ctx, uint8_t type,
                                       ValkeyModuleClusterMessageReceiver callback) {
    (void)ctx;
    (void)type;
    (void)callback;
}

/** Sends a cluster bus message: VALKEYMODULE_ERR, there is no cluster. */
int VM_SendClusterMessage(ValkeyModuleCtx *ctx, const char *target_id, uint8_t type, const char *msg,
                          uint32_t len) {
    (void)ctx;
    (void)target_id;
    (void)type;
    (void)msg;
    (void)len;
    return VALKEYMODULE_ERR;
}

/** The IDs of the cluster's nodes: NULL outside cluster mode (*numnodes is set to 0). */
char **VM_GetClusterNodesList(ValkeyModuleCtx *ctx, size_t *numnodes) {
    (void)ctx;
    if (numnodes) *numnodes = 0;
    return nullptr;
}

/** Frees a GetClusterNodesList result; that is always NULL here, so there is nothing to free. */
void VM_FreeClusterNodesList(char **ids) { (void)ids; }

/** This node's cluster ID: NULL, cluster mode is disabled. */
const char *VM_GetMyClusterID(void) { return nullptr; }

/** The number of cluster nodes: 0 outside cluster mode. */
size_t VM_GetClusterSize(void) { return 0; }

/** Information about a node: VALKEYMODULE_ERR, no node ID is known outside cluster mode (the
 *  output arguments are left untouched). */
int VM_GetClusterNodeInfo(ValkeyModuleCtx *ctx, const char *id, char *ip, char *primary_id, int *port, int *flags) {
    (void)ctx;
    (void)id;
    (void)ip;
    (void)primary_id;
    (void)port;
    (void)flags;
    return VALKEYMODULE_ERR;
}

/** Like GetClusterNodeInfo for a given client's address family: VALKEYMODULE_ERR. */
int VM_GetClusterNodeInfoForClient(ValkeyModuleCtx *ctx, uint64_t client_id, const char *node_id, char *ip,
                                   char *primary_id, int *port, int *flags) {
    (void)client_id;
    return VM_GetClusterNodeInfo(ctx, node_id, ip, primary_id, port, flags);
}

/** Sets cluster behaviour flags (NO_FAILOVER, NO_REDIRECTION): without a cluster they have
 *  nothing to affect. */
void VM_SetClusterFlags(ValkeyModuleCtx *ctx, uint64_t flags) {
    (void)ctx;
    (void)flags;
}

}  // extern "C"
