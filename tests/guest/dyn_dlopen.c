// link: dynamic
// shlib: lib/plugin.c
/* dlopen and dlsym: a library built from a test source (copied into the working
 * directory as ./libplugin.so), its constructor, functions and data; dladdr; a library
 * found by soname through the dynamic linker's search path in the sysroot (libm.so.6);
 * and the errors for a missing library and a missing symbol. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include "check.h"

int main(void) {
    void *h = dlopen("./libplugin.so", RTLD_NOW | RTLD_LOCAL);
    CHECK(h != NULL);
    int (*add)(int, int) = (int (*)(int, int))dlsym(h, "plugin_add");
    void (*greet)(const char *) = (void (*)(const char *))dlsym(h, "plugin_greet");
    const int *loads = dlsym(h, "plugin_loads");
    const char *name = dlsym(h, "plugin_name");
    CHECK(add && greet && loads && name);
    printf("plugin_add(2, 3) = %d, loads = %d, name = %s\n", add(2, 3), *loads, name);
    greet("the guest");
    Dl_info info;
    CHECK(dladdr((void *)add, &info) != 0);
    printf("dladdr: file %s, symbol %s, offset %ld\n", strrchr(info.dli_fname, '/') + 1,
           info.dli_sname, (long)((char *)add - (char *)info.dli_saddr));
    void *again = dlopen("./libplugin.so", RTLD_NOW | RTLD_NOLOAD);
    printf("RTLD_NOLOAD finds it: %d, same handle: %d\n", again != NULL, again == h);
    if (again) dlclose(again);
    printf("missing symbol: %p, ", dlsym(h, "no_such_symbol"));
    printf("error: %s\n", dlerror() != NULL ? "reported" : "none");
    CHECK(dlclose(h) == 0);

    void *m = dlopen("libm.so.6", RTLD_NOW);
    CHECK(m != NULL);
    double (*cbrt_fn)(double) = (double (*)(double))dlsym(m, "cbrt");
    CHECK(cbrt_fn != NULL);
    printf("cbrt(27) = %a\n", cbrt_fn(27.0));
    CHECK(dlopen("./libmissing.so", RTLD_NOW) == NULL);
    printf("missing library: %s\n", dlerror());
    return 0;
}
