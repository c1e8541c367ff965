// Checks catalog entities and names with Backstage's own code (@backstage/catalog-model), as
// its catalog does when it reads a catalog-info.yaml. Reads a JSON file, writes JSON.
//
//   node backstage_check.cjs entities FILE   ([entity, ...]  ->  [[problem, ...], ...])
//   node backstage_check.cjs names FILE      ([name, ...]    ->  [{name, namespace}, ...])
//
// An entity passes when the catalog's entity policies accept it (schema, field formats, no
// foreign root fields, default namespace), its kind's validator accepts it, and every
// reference in its spec parses and names an entity that could exist (a valid name and
// namespace). `names` says whether each string is a valid entity name and namespace.
"use strict";

const model = require("@backstage/catalog-model");

const REFERENCES = {
  owner: "Group",
  system: "System",
  subcomponentOf: "Component",
  domain: "Domain",
};

async function problems(entity) {
  const found = [];
  const policy = model.EntityPolicies.allOf([
    new model.DefaultNamespaceEntityPolicy(),
    new model.NoForeignRootFieldsEntityPolicy(),
    new model.FieldFormatEntityPolicy(),
    new model.SchemaValidEntityPolicy(),
  ]);
  try {
    await policy.enforce(entity);
  } catch (error) {
    found.push(`policy: ${error.message}`);
    return found;
  }
  const validators = [
    model.componentEntityV1alpha1Validator,
    model.apiEntityV1alpha1Validator,
    model.systemEntityV1alpha1Validator,
    model.domainEntityV1alpha1Validator,
    model.resourceEntityV1alpha1Validator,
    model.groupEntityV1alpha1Validator,
    model.userEntityV1alpha1Validator,
    model.locationEntityV1alpha1Validator,
  ];
  let known = false;
  for (const validator of validators) {
    try {
      if (await validator.check(entity)) known = true;
    } catch (error) {
      found.push(`kind: ${error.message}`);
      return found;
    }
  }
  if (!known) found.push(`kind: no validator knows ${entity.apiVersion} ${entity.kind}`);
  const validate = model.makeValidator();
  for (const [field, defaultKind] of Object.entries(REFERENCES)) {
    const value = entity.spec && entity.spec[field];
    if (value === undefined) continue;
    let ref;
    try {
      ref = model.parseEntityRef(value, { defaultKind, defaultNamespace: "default" });
    } catch (error) {
      found.push(`spec.${field}: ${error.message}`);
      continue;
    }
    if (!validate.isValidEntityName(ref.name)) {
      found.push(`spec.${field}: "${ref.name}" is not a valid entity name`);
    }
    if (!validate.isValidNamespace(ref.namespace)) {
      found.push(`spec.${field}: "${ref.namespace}" is not a valid namespace`);
    }
  }
  return found;
}

async function main() {
  const input = JSON.parse(require("fs").readFileSync(process.argv[3], "utf8"));
  const validate = model.makeValidator();
  let output;
  if (process.argv[2] === "entities") {
    output = [];
    for (const entity of input) output.push(await problems(entity));
  } else if (process.argv[2] === "names") {
    output = input.map((name) => ({
      name: validate.isValidEntityName(name),
      namespace: validate.isValidNamespace(name),
    }));
  } else {
    throw new Error(`unknown mode ${process.argv[2]}: use entities or names`);
  }
  process.stdout.write(JSON.stringify(output));
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
