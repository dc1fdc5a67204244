/* Compiles the ABI header and its pinned layout as strict C99 (-std=c99 -pedantic -Werror). */
#include "abi_layout.h"

int ferry_abi_layout_c99(void) { return (int)sizeof(ferry_host); }
