#ifndef RBACGRAPH_CYAML_SHIM_H
#define RBACGRAPH_CYAML_SHIM_H
#include <yaml.h>
#endif
