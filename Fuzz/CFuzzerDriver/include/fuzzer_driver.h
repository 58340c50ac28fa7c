#ifndef RBACGRAPH_FUZZER_DRIVER_H
#define RBACGRAPH_FUZZER_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer's driver (LLVMFuzzerRunDriver) when the executable was linked with
/// libFuzzer (`make fuzz`); returns -1 without it (a normal build: inputs are only replayed).
int rbacgraph_fuzzer_run_driver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
