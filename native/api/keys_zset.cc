// The zset key API (being written).
#include "../host/key.h"

namespace vmhost {

void zset_iter_release(ValkeyModuleKey *key) { key->zsetIter = nullptr; }

}  // namespace vmhost
