# Tests of `osgan report`: error handling through the binary, and the headless-Chromium check of a full
# report built from a synthetic run (tests/browser/check_report.sh). The check leaves its screenshot and
# the page in ${CMAKE_BINARY_DIR}/artifacts/report/ (report-screenshot.png, report.html).
add_test(NAME cli_report_errors
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli_report_errors.sh $<TARGET_FILE:osgan_cli>)
set_tests_properties(cli_report_errors PROPERTIES ENVIRONMENT "${OSGAN_TEST_ENV}" TIMEOUT 120 LABELS cli)

add_test(NAME browser_report
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/browser/check_report.sh $<TARGET_FILE:osgan_cli>
                 ${CMAKE_BINARY_DIR}/artifacts/report)
set_tests_properties(browser_report PROPERTIES ENVIRONMENT "${OSGAN_TEST_ENV}" TIMEOUT 300 LABELS "cli;browser")
