# osgan audit / osgan split through the binary: exit codes (0 ok, 1 runtime error, 2 usage error), messages,
# outputs. The real-data part is skipped (exit 77) when the shared data is absent.
add_test(NAME cli_data COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/test_cli_data.sh $<TARGET_FILE:osgan_cli>
         ${CMAKE_SOURCE_DIR}/../shared/data/mri_based_brain_tumor_images)
set_tests_properties(cli_data PROPERTIES ENVIRONMENT "OMP_WAIT_POLICY=PASSIVE" SKIP_RETURN_CODE 77 TIMEOUT 300)
