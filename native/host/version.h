// The server version this host reports to modules (GetServerVersion, INFO).
#pragma once

namespace vmhost {

/** Valkey 8.1.0 in GetServerVersion's 0x00MMmmpp form. */
constexpr int kServerVersionNum = 0x00080100;
/** The same version as text. */
constexpr const char *kServerVersionString = "8.1.0";

}  // namespace vmhost
