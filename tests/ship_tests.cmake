# ctest checks of docs/openapi.yaml, docs/gateways/, the Debian package and the web
# console in a browser. Their tools (python3-yaml, tools/node_modules, dpkg-deb,
# systemd-analyze, chromium) come from scripts/install-deps.sh; a missing one fails
# the test, it never skips it.
find_program(KEYWARD_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT KEYWARD_PYTHON3)
  set(KEYWARD_PYTHON3 /usr/bin/python3)  # the test then fails, naming it
endif()

# Prints Api::RouteTable(): the spec is compared with the real route table.
add_executable(keyward_route_table ${PROJECT_SOURCE_DIR}/tests/docs/route_table_main.cc)
target_link_libraries(keyward_route_table PRIVATE keyward_app)

add_test(NAME openapi_routes
         COMMAND ${KEYWARD_PYTHON3} tests/docs/check_openapi_routes.py
                 $<TARGET_FILE:keyward_route_table> docs/openapi.yaml
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
add_test(NAME openapi_lint
         COMMAND ${KEYWARD_PYTHON3} tests/docs/lint_openapi.py
                 tools/node_modules/.bin/redocly tools/redocly.yaml docs/openapi.yaml
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
add_test(NAME gateway_config_headers
         COMMAND ${KEYWARD_PYTHON3} tests/docs/check_gateway_headers.py
                 ${PROJECT_SOURCE_DIR}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
add_test(NAME deb_package
         COMMAND bash ${PROJECT_SOURCE_DIR}/tests/packaging/check_deb.sh
                 ${CMAKE_BINARY_DIR} ${PROJECT_VERSION})
set_tests_properties(openapi_routes openapi_lint gateway_config_headers deb_package
                     PROPERTIES TIMEOUT 300)
add_test(NAME readme_quickstart
         COMMAND bash ${PROJECT_SOURCE_DIR}/tests/docs/check_readme_quickstart.sh
                 $<TARGET_FILE:keyward> ${PROJECT_SOURCE_DIR}/README.md)
set_tests_properties(readme_quickstart PROPERTIES TIMEOUT 120)
add_test(NAME openapi_responses
         COMMAND ${KEYWARD_PYTHON3} tests/docs/check_openapi_responses.py
                 $<TARGET_FILE:keyward> docs/openapi.yaml
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(openapi_responses PROPERTIES TIMEOUT 120)

# The build enforces the module layering (docs/architecture.md): each module's
# compile command, given an include of every other module, compiles exactly the
# allowed ones.
add_test(NAME build_layers
         COMMAND ${KEYWARD_PYTHON3} tests/build/check_layers.py ${CMAKE_BINARY_DIR}
                 ${PROJECT_SOURCE_DIR}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})

# The web console in a real browser: Debian's chromium driven by playwright-core
# from tools/ (scripts/install-deps.sh installs both). It starts the real binary,
# and saves a screenshot of each page into build/console-screenshots/ (so a test
# run leaves the tree clean); docs/console/ holds the ones docs/console.md shows,
# refreshed with `node tests/console/console_test.mjs build/keyward docs/console`.
find_program(KEYWARD_NODE node)
if(NOT KEYWARD_NODE)
  set(KEYWARD_NODE /usr/bin/node)  # the test then fails, naming it
endif()
add_test(NAME console_browser
         COMMAND ${KEYWARD_NODE} tests/console/console_test.mjs $<TARGET_FILE:keyward>
                 ${CMAKE_BINARY_DIR}/console-screenshots
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(console_browser PROPERTIES TIMEOUT 300 RUN_SERIAL TRUE)

# deploy/compose/ (docs/scale-out.md): the real nginx tests its config, and the
# compose file names the services the doc describes.
add_test(NAME compose_gateway_config
         COMMAND bash ${PROJECT_SOURCE_DIR}/tests/docs/check_compose_gateway.sh
                 ${PROJECT_SOURCE_DIR})
set_tests_properties(compose_gateway_config PROPERTIES TIMEOUT 60)
