# The publishing side of the content server: manifest builder and signer,
# MQTT publisher and status ingestion, screen routes, images, provisioning
# (Mosquitto password and ACL files) and demo content. Included from
# content-server/CMakeLists.txt; a library of its own so unit tests link
# exactly what the server runs.
pkg_check_modules(MOSQUITTO REQUIRED IMPORTED_TARGET GLOBAL libmosquitto)
pkg_check_modules(SDL2IMAGE REQUIRED IMPORTED_TARGET GLOBAL SDL2_image)
pkg_check_modules(ZLIB REQUIRED IMPORTED_TARGET GLOBAL zlib)
pkg_check_modules(PUBSQLITE REQUIRED IMPORTED_TARGET GLOBAL sqlite3)

# The Exif Orientation parser and the pixel turn: plain C without SDL, a
# library of its own so its unit tests and fuzz target link nothing else.
add_library(srv_exif STATIC ${CMAKE_CURRENT_LIST_DIR}/srv_exif.c)
target_include_directories(srv_exif PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(srv_exif PUBLIC taulu_common PRIVATE taulu_warnings)

add_library(srv_publish STATIC
    ${CMAKE_CURRENT_LIST_DIR}/srv_broker.c
    ${CMAKE_CURRENT_LIST_DIR}/srv_image.c
    ${CMAKE_CURRENT_LIST_DIR}/srv_manifest.c
    ${CMAKE_CURRENT_LIST_DIR}/srv_mqtt.c
    ${CMAKE_CURRENT_LIST_DIR}/srv_playlog.c
    ${CMAKE_CURRENT_LIST_DIR}/srv_publish.c
    ${CMAKE_CURRENT_LIST_DIR}/srv_pubdb.c)
target_include_directories(srv_publish PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(srv_publish
    PUBLIC taulu_common srv_exif PkgConfig::MOSQUITTO PkgConfig::SDL2IMAGE
           PkgConfig::ZLIB PkgConfig::PUBSQLITE Threads::Threads
    PRIVATE taulu_warnings)
