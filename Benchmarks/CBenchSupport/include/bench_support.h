#ifndef RBACGRAPH_BENCH_SUPPORT_H
#define RBACGRAPH_BENCH_SUPPORT_H
#include <stddef.h>
/// Bytes of heap in use (glibc mallinfo2().uordblks).
size_t rbacgraph_bench_heap_in_use(void);
#endif
