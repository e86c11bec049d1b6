# Turns data/municipalities.txt ("code<TAB>name" lines, '#' comments) into a
# C table. Run by the build; any line that is not a 3-digit code and a name
# stops the build.
file(STRINGS ${IN} lines ENCODING UTF-8)
set(body "")
set(count 0)
foreach(line IN LISTS lines)
    if(line MATCHES "^#" OR line STREQUAL "")
        continue()
    endif()
    if(NOT line MATCHES "^([0-9][0-9][0-9])\t([^\t\"\\\\]+)$")
        message(FATAL_ERROR "${IN}: bad line: ${line}")
    endif()
    string(APPEND body "    {\"${CMAKE_MATCH_1}\", \"${CMAKE_MATCH_2}\"},\n")
    math(EXPR count "${count} + 1")
endforeach()
file(WRITE ${OUT}.tmp
"/* Generated from data/municipalities.txt by gen_municipalities.cmake. */
#include \"srv_domain.h\"

const struct srv_municipality srv_municipalities[] = {
${body}};
const unsigned srv_municipality_count = ${count};
")
file(RENAME ${OUT}.tmp ${OUT})
