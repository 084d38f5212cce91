/**
 * The task-pod start script and environment from ClearML's OpenShift guide
 * (docs/openshift-and-clearml.md#enterprise-only-keys), for `clearmlApplications` and `agentk8sglue`. The `{{20..5}}`
 * and `{placeholders}` are the agent's own template syntax: they must reach the
 * chart verbatim, which `renderYaml` guarantees (no text templating).
 */
export const ENTERPRISE_CONTAINER_BASH_SCRIPT = [
  'export HOME=/tmp',
  'declare LOCAL_PYTHON',
  '[ ! -z $LOCAL_PYTHON ] || for i in {{20..5}}; do (which python3.$i 2> /dev/null || command -v python3.$i) && python3.$i -m pip --version && export LOCAL_PYTHON=$(which python3.$i 2> /dev/null || command -v python3.$i) && break ; done',
  '[ ! -z $LOCAL_PYTHON ] || export LOCAL_PYTHON=python3',
  '{extra_bash_init_cmd}',
  '[ ! -z $CLEARML_AGENT_NO_UPDATE ] || $LOCAL_PYTHON -m pip install clearml-agent{agent_install_args}',
  '{extra_docker_bash_script}',
  '$LOCAL_PYTHON -m clearml_agent execute {default_execution_agent_args} --id {task_id}',
  '',
].join('\n');

/** Where the glue writes the start script: /tmp, the one place a random UID can write. */
export const START_AGENT_SCRIPT_PATH_ENV = {
  name: 'CLEARML_K8S_GLUE_START_AGENT_SCRIPT_PATH',
  value: '/tmp/__start_agent__.sh',
};

export const HOME_TMP_ENV = { name: 'HOME', value: '/tmp' };
