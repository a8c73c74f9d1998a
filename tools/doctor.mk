# make doctor (included by the Makefile; issue 25): what the project uses and finds, one line each.
.PHONY: doctor
doctor: ## What make test needs, what this machine has, and the command that fixes what is missing
	@NODE_HOME="$(NODE_HOME)" NODE_VERSION="$(NODE_VERSION)" NODE_NPM_VERSION="$(NODE_NPM_VERSION)" \
	  USE_MACHINE_NODE="$(USE_MACHINE_NODE)" tools/doctor.sh
