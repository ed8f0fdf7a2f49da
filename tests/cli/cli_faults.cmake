# Crash safety (SIGKILL and resume), numeric-fault rollback, disk faults and output confinement (fault_test.sh).
foreach(part kills numeric disk confinement)
  add_test(NAME cli_faults_${part}
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/fault_test.sh $<TARGET_FILE:osgan_cli> ${CMAKE_CURRENT_LIST_DIR} ${part})
  set_tests_properties(cli_faults_${part} PROPERTIES ENVIRONMENT "OMP_WAIT_POLICY=PASSIVE" TIMEOUT 900)
endforeach()
