# osgan pipeline end to end on a toy dataset with the tiny config: every stage runs, metrics.json has the keys
# other tools read, the report is written, a second run skips every stage, and --force redoes one.
add_test(NAME cli_pipeline COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/test_cli_pipeline.sh $<TARGET_FILE:osgan_cli>
         ${CMAKE_CURRENT_SOURCE_DIR})
set_tests_properties(cli_pipeline PROPERTIES ENVIRONMENT "OMP_WAIT_POLICY=PASSIVE" TIMEOUT 900)
# The anatomy stage: one GAN on every class's training side that the class GANs fine-tune, cached and chained.
add_test(NAME cli_pipeline_anatomy COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/test_cli_pipeline_anatomy.sh
         $<TARGET_FILE:osgan_cli> ${CMAKE_CURRENT_SOURCE_DIR})
set_tests_properties(cli_pipeline_anatomy PROPERTIES ENVIRONMENT "OMP_WAIT_POLICY=PASSIVE" TIMEOUT 900)
# --gan-seeds 2: a second GAN per class, classifiers per GAN seed, intervals over both.
add_test(NAME cli_pipeline_gan_seeds COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/test_cli_pipeline_gan_seeds.sh
         $<TARGET_FILE:osgan_cli> ${CMAKE_CURRENT_SOURCE_DIR})
set_tests_properties(cli_pipeline_gan_seeds PROPERTIES ENVIRONMENT "OMP_WAIT_POLICY=PASSIVE" TIMEOUT 900)
# gan.per_mode: one GAN per mode of each class, drawn in the modes' shares.
add_test(NAME cli_pipeline_per_mode COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/test_cli_pipeline_per_mode.sh
         $<TARGET_FILE:osgan_cli> ${CMAKE_CURRENT_SOURCE_DIR})
set_tests_properties(cli_pipeline_per_mode PROPERTIES ENVIRONMENT "OMP_WAIT_POLICY=PASSIVE" TIMEOUT 900)
# The cascade: upsampler.size in the pipeline's config, and osgan train-upsampler.
add_test(NAME cli_pipeline_upsampler COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/test_cli_pipeline_upsampler.sh
         $<TARGET_FILE:osgan_cli> ${CMAKE_CURRENT_SOURCE_DIR})
set_tests_properties(cli_pipeline_upsampler PROPERTIES ENVIRONMENT "OMP_WAIT_POLICY=PASSIVE" TIMEOUT 900)
