#include "fuzzer_driver.h"

// Weak: a normal build links without libFuzzer; `make fuzz` forces it in (-u LLVMFuzzerRunDriver).
extern int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t)) __attribute__((weak));

int rbacgraph_fuzzer_run_driver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t)) {
    if (!LLVMFuzzerRunDriver) return -1;
    return LLVMFuzzerRunDriver(argc, argv, callback);
}
