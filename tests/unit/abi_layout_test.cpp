#include "abi_layout.h"

#include <gtest/gtest.h>

extern "C" int ferry_abi_layout_c11(void);
extern "C" int ferry_abi_layout_c99(void);

// The compile-time pins are the real check; this makes sure C and C++ agree at run time too.
TEST(AbiLayout, CAndCppAgree) {
  EXPECT_EQ(ferry_abi_layout_c11(), static_cast<int>(sizeof(ferry_plugin_descriptor)));
  EXPECT_EQ(ferry_abi_layout_c99(), static_cast<int>(sizeof(ferry_host)));
}

TEST(AbiLayout, EntrySymbolCarriesMajor) {
  EXPECT_STREQ(FERRY_PLUGIN_ENTRY_SYMBOL, "ferry_plugin_entry_v1");
}
