# osgan train-gan and generate, end to end on a generated toy folder (tiny DCGAN, a few steps).
foreach(part train_generate resume resume_unstarted interrupt errors)
  add_test(NAME cli_gan_${part}
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/cli_gan_test.sh $<TARGET_FILE:osgan_cli> ${part})
  set_tests_properties(cli_gan_${part} PROPERTIES ENVIRONMENT "OMP_WAIT_POLICY=PASSIVE" TIMEOUT 300)
endforeach()
