# Runs sdk_interop.mjs with one pinned version of the npm `openai` package.
# -DNPM=... -DNODE=... -DVERSION=7.60.0 -DPREFIX=<install folder> -DSCRIPT=... -DCLI=<batchdeck-cli>
# The package goes into PREFIX (inside the build folder, ignored by git) once per version.
set(installed "${PREFIX}/node_modules/openai/package.json")
set(have "")
if(EXISTS "${installed}")
    file(READ "${installed}" manifest)
    string(JSON have ERROR_VARIABLE ignored GET "${manifest}" version)
endif()
if(NOT have STREQUAL VERSION)
    file(MAKE_DIRECTORY "${PREFIX}")
    execute_process(
        COMMAND "${NPM}" install --prefix "${PREFIX}" --no-audit --no-fund --loglevel=error "openai@${VERSION}"
        RESULT_VARIABLE npm_result)
    if(NOT npm_result EQUAL 0)
        # No registry (offline machine): say so; the test's SKIP_REGULAR_EXPRESSION matches this line.
        message("INTEROP SKIPPED: npm could not install openai@${VERSION}")
        return()
    endif()
endif()
execute_process(COMMAND "${NODE}" "${SCRIPT}" "${PREFIX}" "${CLI}" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "the openai ${VERSION} interop script failed")
endif()
