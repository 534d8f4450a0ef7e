# Debian packages with CPack (docs/operations.md "Packages"): `rampart` (the server) and
# `rampart-agent`, one .deb each, from one build: `scripts/package` (a Release build), or
# `cpack -G DEB` in any build directory. A build with test hooks packages only the agent: the
# server with its injected-clock endpoint must never be installable.
include(GNUInstallDirs)

install(TARGETS rampart-agent RUNTIME DESTINATION bin COMPONENT agent)
install(FILES agent/dist/rampart-agent.service DESTINATION lib/systemd/system COMPONENT agent)
install(FILES agent/dist/rampart.rules DESTINATION /etc/audit/rules.d PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ
        COMPONENT agent)
install(FILES docs/agents.md docs/ingest.md DESTINATION share/doc/rampart-agent COMPONENT agent)

install(TARGETS rampart RUNTIME DESTINATION bin COMPONENT server)
install(FILES cli/dist/rampart.service DESTINATION lib/systemd/system COMPONENT server)
install(FILES ${PROJECT_BINARY_DIR}/cli/rampart.toml DESTINATION /etc/rampart COMPONENT server)
install(FILES docs/operations.md docs/api-v2.md docs/agents.md DESTINATION share/doc/rampart COMPONENT server)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "rampart developers <root@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
if(RAMPART_TEST_HOOKS)
  set(CPACK_COMPONENTS_ALL agent)
else()
  set(CPACK_COMPONENTS_ALL server agent)
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_AGENT_PACKAGE_NAME rampart-agent)
set(CPACK_COMPONENT_AGENT_DESCRIPTION
    "rampart's host agent: auditd events, file integrity and host facts to a rampart server")
set(CPACK_DEBIAN_AGENT_PACKAGE_RECOMMENDS auditd)
set(_agent_deb ${PROJECT_SOURCE_DIR}/agent/dist/debian)
set(CPACK_DEBIAN_AGENT_PACKAGE_CONTROL_EXTRA ${_agent_deb}/conffiles ${_agent_deb}/postinst ${_agent_deb}/prerm
    ${_agent_deb}/postrm ${_agent_deb}/triggers)

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME rampart)
set(CPACK_COMPONENT_SERVER_DESCRIPTION
    "rampart: ThreatSTOP v4.0 and Threat Stack v2 APIs, RPZ enforcement and agent ingest, one server")
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS adduser)
set(_server_deb ${PROJECT_SOURCE_DIR}/cli/dist/debian)
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA ${_server_deb}/conffiles ${_server_deb}/postinst ${_server_deb}/prerm ${_server_deb}/postrm)

include(CPack)
