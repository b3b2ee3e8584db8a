#pragma once

#include <cstdio>
#include <cstdlib>

// An invariant of a fuzz target: when it breaks, say which and abort, so that libFuzzer keeps the
// input as a crasher and the replay driver fails its CTest test.
inline void fuzzCheck(bool condition, const char* what)
{
    if (!condition) {
        std::fprintf(stderr, "invariant broken: %s\n", what);
        std::abort();
    }
}
