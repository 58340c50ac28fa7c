#ifndef RBACGRAPH_CZLIB_SHIM_H
#define RBACGRAPH_CZLIB_SHIM_H
#include <zlib.h>
#endif
