// The MES policy pack as the Pulumi engine runs it (`pulumi preview --policy-pack infra/policy-pack`,
// and every `mes infra preview|up`): the engine requires this directory and awaits the exported
// function. The rules are the ones `mes infra render` applies (infra/src/policy), built to ../dist.
const { PolicyPack } = require('@pulumi/policy');

module.exports = async () => {
  const { mesPolicies, POLICY_PACK_NAME } = await import('../dist/policy/policies.js');
  new PolicyPack(POLICY_PACK_NAME, { policies: mesPolicies, enforcementLevel: 'mandatory' });
};
