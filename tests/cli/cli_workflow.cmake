# The Snakemake workflow (workflow/Snakefile) against osgan pipeline: locally, interrupted and rerun, with a failing
# stage, and through a one-node Slurm cluster that the test starts and stops (tests/workflow/slurm_cluster.sh).
add_test(NAME cli_workflow COMMAND bash ${CMAKE_SOURCE_DIR}/tests/workflow/test_workflow.sh $<TARGET_FILE:osgan_cli>
         ${CMAKE_SOURCE_DIR})
set_tests_properties(cli_workflow PROPERTIES ENVIRONMENT "OMP_WAIT_POLICY=PASSIVE" TIMEOUT 1800 RUN_SERIAL TRUE)
