#include "bench_support.h"
#include <malloc.h>

size_t rbacgraph_bench_heap_in_use(void) {
    struct mallinfo2 m = mallinfo2();
    return m.uordblks;
}
