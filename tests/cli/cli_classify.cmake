# osgan train-classifier / evaluate / predict / evaluate-images through the binary on a toy disc dataset:
# exit codes (0 ok, 1 runtime error, 2 usage error), output files and their numbers.
add_test(NAME cli_classify COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/test_cli_classify.sh $<TARGET_FILE:osgan_cli>
         ${CMAKE_CURRENT_SOURCE_DIR}/make_toy_discs.py)
set_tests_properties(cli_classify PROPERTIES ENVIRONMENT "OMP_WAIT_POLICY=PASSIVE" TIMEOUT 300)
