# osgan export, end to end: a tiny One-Shot GAN is trained, exported, and Python (Debian's python3-torch) loads it
# with torch.jit.load and redraws, pixel for pixel, the PNGs `osgan generate` wrote for the same seed.
add_test(NAME cli_export
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/test_cli_export.sh $<TARGET_FILE:osgan_cli>)
set_tests_properties(cli_export PROPERTIES ENVIRONMENT "OMP_WAIT_POLICY=PASSIVE" TIMEOUT 300 LABELS "cli;python")
