# Every input-reading subcommand on the bad-input suite (tests/bad_inputs): one-line errors naming the file, warnings
# for files a dataset skips, --strict, header repairs (a warning, or under audit --strict an error, naming the
# field), no signal, no hang.
foreach(part single datasets repairs)
  add_test(NAME cli_bad_inputs_${part}
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/bad_inputs/bad_input_test.sh $<TARGET_FILE:osgan_cli>
                   ${CMAKE_SOURCE_DIR}/tests/bad_inputs ${part})
  set_tests_properties(cli_bad_inputs_${part} PROPERTIES ENVIRONMENT "OMP_WAIT_POLICY=PASSIVE" TIMEOUT 600)
endforeach()
