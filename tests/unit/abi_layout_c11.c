/* Compiles the ABI header and its pinned layout as C11. */
#include "abi_layout.h"

int ferry_abi_layout_c11(void) { return (int)sizeof(ferry_plugin_descriptor); }
