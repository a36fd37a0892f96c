# Installs crm and crm_mon as links to paceline, unless a crm/crm_mon that is
# not ours (crmsh, Pacemaker) is already there: then it says so and leaves it.
set(sbin "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/sbin")
foreach(link crm crm_mon)
  set(path "${sbin}/${link}")
  if(IS_SYMLINK "${path}")
    file(READ_SYMLINK "${path}" target)
    get_filename_component(target_name "${target}" NAME)
    if(NOT target_name STREQUAL "paceline")
      message(STATUS "Keeping ${path}: it links to ${target}, not paceline")
      continue()
    endif()
  elseif(EXISTS "${path}")
    message(STATUS "Keeping ${path}: it is not Paceline's (crmsh/Pacemaker?); installed only paceline")
    continue()
  endif()
  message(STATUS "Installing: ${path} -> paceline")
  file(MAKE_DIRECTORY "${sbin}")
  file(CREATE_LINK paceline "${path}" SYMBOLIC)
endforeach()

# The agents' crm_attribute/crm_master: a private directory the executor
# puts first in HA_SBIN_DIR/PATH, so Pacemaker's tools stay untouched.
set(shims "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/lib/paceline/sbin")
file(MAKE_DIRECTORY "${shims}")
foreach(link crm_attribute crm_master)
  message(STATUS "Installing: ${shims}/${link} -> ${CMAKE_INSTALL_PREFIX}/sbin/paceline")
  file(CREATE_LINK "${CMAKE_INSTALL_PREFIX}/sbin/paceline" "${shims}/${link}" SYMBOLIC)
endforeach()
