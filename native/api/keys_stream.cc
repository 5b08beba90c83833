// The stream key API (being written).
#include "../host/key.h"

namespace vmhost {

void stream_iter_release(ValkeyModuleKey *key) { key->streamIter = nullptr; }

}  // namespace vmhost
