# Installs the files that make Ferry a system service: the config file, the systemd unit and the
# environment file for its flags. Included at install time (see Packaging.cmake), because where
# they go and the paths written into them depend on the prefix installed to, which
# `cmake --install --prefix` and CPack choose after configuring.
#
# Inputs: FERRY_SOURCE_DIR, FERRY_WORK_DIR (scratch space in the build tree), and FERRY_BINDIR,
# FERRY_SYSCONFDIR, FERRY_DOCDIR, FERRY_SYSTEMD_UNIT_DIR (relative to the prefix, or absolute).
#
# The prefix /usr keeps its configuration in /etc, any other prefix in <prefix>/etc (the rule of
# GNUInstallDirs' CMAKE_INSTALL_FULL_SYSCONFDIR), so the Debian package gets /etc/ferry and an
# install into a staging prefix never writes outside it.

string(REGEX REPLACE "/+$" "" _ferry_prefix "${CMAKE_INSTALL_PREFIX}")  # "/" becomes ""

# <out> = where <dir> (relative to the prefix, or absolute) is; SYSTEM: a directory that the
# prefix /usr keeps outside itself, as /etc.
function(_ferry_install_path out dir)
  cmake_parse_arguments(PARSE_ARGV 2 arg "SYSTEM" "" "")
  if(IS_ABSOLUTE "${dir}")
    set(${out} "${dir}" PARENT_SCOPE)
  elseif(arg_SYSTEM AND _ferry_prefix STREQUAL "/usr")
    set(${out} "/${dir}" PARENT_SCOPE)
  else()
    set(${out} "${_ferry_prefix}/${dir}" PARENT_SCOPE)
  endif()
endfunction()

_ferry_install_path(_ferry_etc "${FERRY_SYSCONFDIR}" SYSTEM)
_ferry_install_path(_ferry_bin "${FERRY_BINDIR}")
_ferry_install_path(_ferry_unit_dir "${FERRY_SYSTEMD_UNIT_DIR}")
_ferry_install_path(FERRY_DOC_DIR "${FERRY_DOCDIR}")

# Substituted into the templates in packaging/.
set(FERRY_EXECUTABLE "${_ferry_bin}/ferry")
set(FERRY_CONFIG_FILE "${_ferry_etc}/ferry/ferry.json")
set(FERRY_DEFAULT_FILE "${_ferry_etc}/default/ferry")

# A directory of its own: installs into different prefixes may run at the same time (a package
# build next to `cmake --install --prefix`), each with its own paths in the files.
string(RANDOM LENGTH 12 _ferry_nonce)
set(_ferry_work "${FERRY_WORK_DIR}/service-${_ferry_nonce}")
configure_file("${FERRY_SOURCE_DIR}/packaging/ferry.service.in" "${_ferry_work}/ferry.service"
  @ONLY)
configure_file("${FERRY_SOURCE_DIR}/packaging/ferry.default.in" "${_ferry_work}/ferry" @ONLY)

file(INSTALL "${FERRY_SOURCE_DIR}/config/ferry.json" DESTINATION "${_ferry_etc}/ferry")
file(INSTALL "${_ferry_work}/ferry" DESTINATION "${_ferry_etc}/default")
file(INSTALL "${_ferry_work}/ferry.service" DESTINATION "${_ferry_unit_dir}")
file(REMOVE_RECURSE "${_ferry_work}")
