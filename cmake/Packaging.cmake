# `cpack -G DEB` (run in the build dir) → keyward_<version>_amd64.deb with the
# binary, the hardened systemd unit and the example config.
# tests/packaging/check_deb.sh builds it and checks it.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/keyward.service
        DESTINATION lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/config/keyward.example.json
              ${PROJECT_SOURCE_DIR}/docs/openapi.yaml
        DESTINATION share/doc/keyward)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME keyward)
set(CPACK_PACKAGE_VENDOR keyward)
set(CPACK_PACKAGE_CONTACT "keyward maintainers <keyward@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "standalone HTTPS server for API keys")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "keyward mints, verifies and revokes API keys over HTTPS, with SQLite embedded.\n It ships a hardened systemd unit (keyward.service).")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://localhost/keyward")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Depends from the linked libraries (dpkg-shlibdeps), not from a list kept by hand.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/packaging/deb/postinst
    ${PROJECT_SOURCE_DIR}/packaging/deb/prerm ${PROJECT_SOURCE_DIR}/packaging/deb/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
include(CPack)
