#include <gtest/gtest.h>
#include "rasai/analysis.h"
TEST(Normalize, Smoke) { EXPECT_EQ(rasai::NormalizeText("abc"), "abc"); }
