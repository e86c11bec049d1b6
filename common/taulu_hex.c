/* taulu_hex.c: the value of one hexadecimal digit (see taulu_hex.h). */
#include "taulu_hex.h"

int taulu_hex_digit(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}
