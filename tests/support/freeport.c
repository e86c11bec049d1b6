/*
 * freeport.c: prints a TCP port on 127.0.0.1 that is free now, for the
 * scripts that start the broker and the server (scripts/run.sh).
 */
#include <stdio.h>

#include "tsupport.h"

int main(void)
{
    int port = tsupport_free_port();

    if (port < 0) {
        fputs("taulu-freeport: no free port\n", stderr);
        return 1;
    }
    printf("%d\n", port);
    return 0;
}
