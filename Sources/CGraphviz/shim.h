#ifndef RBACGRAPH_CGRAPHVIZ_SHIM_H
#define RBACGRAPH_CGRAPHVIZ_SHIM_H
#include <graphviz/gvc.h>
#include <graphviz/cgraph.h>

/* Swift 6 rejects the mutable C globals Agdirected/Agundirected as not concurrency-safe:
   read them through functions. */
static inline Agdesc_t cgraphviz_directed(void) { return Agdirected; }
static inline Agdesc_t cgraphviz_undirected(void) { return Agundirected; }
#endif
