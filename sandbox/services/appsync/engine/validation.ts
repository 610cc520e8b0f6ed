// Request validation with AppSync's messages. AppSync validates with graphql-java, so errors read
// "Validation error of type FieldUndefined: Field 'x' in type 'Query' is undefined @ 'x'", literal
// arguments are printed as graphql-java AST nodes (StringValue{value='x'}), and variables fail with
// "Variable 'x' has an invalid value. ...". graphql-js does the validating; its messages are rewritten.
import {
  GraphQLError,
  Kind,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  specifiedRules,
  typeFromAST,
  validate,
  valueFromAST,
  visit,
  ValuesOfCorrectTypeRule,
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';
import type { AppSyncError } from '../contracts';
import { requestError } from './errors';
import { ScalarCoercionError } from './scalars';

/** A validation failure already in graphql-java's words ("WrongType: argument ..."). */
class JavaValidationError extends GraphQLError {
  constructor(
    readonly description: string,
    node: ASTNode,
  ) {
    super(description, { nodes: node });
  }
}

/** graphql-java's `toString` of a value literal, as AppSync quotes it in WrongType errors. */
export function printJavaLiteral(node: ValueNode): string {
  switch (node.kind) {
    case Kind.STRING:
      return `StringValue{value='${node.value}'}`;
    case Kind.INT:
      return `IntValue{value=${node.value}}`;
    case Kind.FLOAT:
      return `FloatValue{value=${node.value}}`;
    case Kind.BOOLEAN:
      return `BooleanValue{value=${String(node.value)}}`;
    case Kind.NULL:
      return 'NullValue{}';
    case Kind.ENUM:
      return `EnumValue{name='${node.value}'}`;
    case Kind.VARIABLE:
      return `VariableReference{name='${node.name.value}'}`;
    case Kind.LIST:
      return `ArrayValue{values=[${node.values.map(printJavaLiteral).join(', ')}]}`;
    case Kind.OBJECT:
      return `ObjectValue{objectFields=[${node.fields.map((field) => `ObjectField{name='${field.name.value}', value=${printJavaLiteral(field.value)}}`).join(', ')}]}`;
  }
}

interface LiteralProblem {
  readonly path: string;
  readonly node: ValueNode;
  readonly problem: string;
}

/** The first way a literal does not fit an input type, as graphql-java's ArgumentsOfCorrectType reports it. */
function literalProblem(node: ValueNode, type: GraphQLInputType, path: string): LiteralProblem | undefined {
  if (node.kind === Kind.VARIABLE) return undefined;
  if (isNonNullType(type)) {
    if (node.kind === Kind.NULL) return { path, node, problem: 'must not be null' };
    return literalProblem(node, type.ofType, path);
  }
  if (node.kind === Kind.NULL) return undefined;
  if (isListType(type)) {
    if (node.kind !== Kind.LIST) return literalProblem(node, type.ofType, path);
    for (const [index, item] of node.values.entries()) {
      const problem = literalProblem(item, type.ofType, `${path}[${index}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (isInputObjectType(type)) {
    if (node.kind !== Kind.OBJECT) return { path, node, problem: `is not a valid '${type.name}'` };
    const fields = type.getFields();
    const unknown = node.fields.find((field) => !fields[field.name.value]);
    if (unknown) return { path, node, problem: `contains a field not in '${type.name}': '${unknown.name.value}'` };
    const given = new Set(node.fields.map((field) => field.name.value));
    const missing = Object.values(fields)
      .filter((field) => isNonNullType(field.type) && field.defaultValue === undefined && !given.has(field.name))
      .map((field) => field.name);
    if (missing.length > 0) return { path, node, problem: `is missing required fields '[${missing.join(', ')}]'` };
    for (const field of node.fields) {
      const problem = literalProblem(field.value, (fields[field.name.value] as { type: GraphQLInputType }).type, `${path}.${field.name.value}`);
      if (problem) return problem;
    }
    return undefined;
  }
  const invalid = { path, node, problem: `is not a valid '${type.name}'` };
  if (isEnumType(type)) return node.kind === Kind.ENUM && type.getValue(node.value) ? undefined : invalid;
  try {
    return type.parseLiteral(node, undefined) === undefined ? invalid : undefined;
  } catch {
    return invalid;
  }
}

/** Replaces graphql-js's ValuesOfCorrectTypeRule with graphql-java's checks and texts. */
const LiteralArgumentsRule: ValidationRule = (context: ValidationContext) => ({
  Argument(node) {
    const argument = context.getArgument();
    if (!argument) return;
    const problem = literalProblem(node.value, argument.type, node.name.value);
    if (problem) {
      context.reportError(new JavaValidationError(`WrongType: argument '${problem.path}' with value '${printJavaLiteral(problem.node)}' ${problem.problem}`, node));
    }
  },
  VariableDefinition(node) {
    const type = typeFromAST(context.getSchema(), node.type) as GraphQLInputType | undefined;
    if (!type || !node.defaultValue) return;
    if (literalProblem(node.defaultValue, type, node.variable.name.value)) {
      context.reportError(new JavaValidationError(`BadValueForDefaultArg: Bad default value ${printJavaLiteral(node.defaultValue)} for type ${String(type)}`, node));
    }
  },
});

const RULES = [...specifiedRules.filter((rule) => rule !== ValuesOfCorrectTypeRule), LiteralArgumentsRule];

// graphql-js message → graphql-java "<ErrorType>: <description>"
const TRANSLATIONS: readonly [RegExp, (match: RegExpExecArray) => string][] = [
  [/^Cannot query field "(\w+)" on type "(\w+)"\./, (m) => `FieldUndefined: Field '${m[1]}' in type '${m[2]}' is undefined`],
  [/^Unknown argument "(\w+)" on field "[\w.]+"\./, (m) => `UnknownArgument: Unknown field argument ${m[1]}`],
  [/^Unknown argument "(\w+)" on directive "@\w+"\./, (m) => `UnknownDirective: Unknown directive argument ${m[1]}`],
  [/^Field "\w+" argument "(\w+)" of type ".+" is required, but it was not provided\./, (m) => `MissingFieldArgument: Missing field argument ${m[1]}`],
  [/^Directive "@\w+" argument "(\w+)" of type ".+" is required, but it was not provided\./, (m) => `MissingDirectiveArgument: Missing directive argument ${m[1]}`],
  [/^Field "(\w+)" must not have a selection since type "(.+)" has no subfields\./, (m) => `SubSelectionNotAllowed: Sub selection not allowed on leaf type ${m[2]} of field ${m[1]}`],
  [/^Field "(\w+)" of type "(.+)" must have a selection of subfields\./, (m) => `SubSelectionRequired: Sub selection required for type ${m[2]} of field ${m[1]}`],
  [/^Unknown type "(\w+)"\./, (m) => `UnknownType: Unknown type ${m[1]}`],
  [/^Variable "\$(\w+)" is not defined/, (m) => `UndefinedVariable: Undefined variable ${m[1]}`],
  [/^Variable "\$(\w+)" is never used/, (m) => `UnusedVariable: Unused variable ${m[1]}`],
  [/^Variable "\$(\w+)" of type "(.+)" used in position expecting type "(.+)"\./, (m) => `VariableTypeMismatch: Variable type '${m[2]}' doesn't match expected type '${m[3]}'`],
  [/^Variable "\$(\w+)" cannot be non-input type "(.+)"\./, (m) => `NonInputTypeOnVariable: Input type expected for variable ${m[1]}, got ${m[2]}`],
  [/^Unknown directive "@(\w+)"\./, (m) => `UnknownDirective: Unknown directive ${m[1]}`],
  [/^Unknown fragment "(\w+)"\./, (m) => `UndefinedFragment: Undefined fragment ${m[1]}`],
  [/^Fragment "(\w+)" is never used\./, (m) => `UnusedFragment: Unused fragment ${m[1]}`],
  [/^There can be only one operation named "(\w+)"\./, (m) => `DuplicateOperationName: There can be only one operation named '${m[1]}'`],
  [/^There can be only one argument named "(\w+)"\./, (m) => `DuplicateArgumentNames: There can be only one argument named '${m[1]}'`],
  [/^This anonymous operation must be the only defined operation\./, () => 'LoneAnonymousOperationViolation: Anonymous operation must be the only defined operation'],
  [/^(?:Anonymous Subscription|Subscription "\w+") must select only one top level field\./, () => 'SubscriptionMultipleRootFields: Subscription operation must have exactly one root field'],
  [/^Fields "(\w+)" conflict because (.+)$/, (m) => `FieldsConflict: ${m[1]} : ${m[2]}`],
];

/** Field-name paths (graphql-java's query path) of every field, argument and directive in a document. */
function queryPaths(document: DocumentNode): Map<ASTNode, string[]> {
  const paths = new Map<ASTNode, string[]>();
  const stack: string[] = [];
  visit(document, {
    Field: {
      enter(node) {
        stack.push(node.name.value);
        paths.set(node, [...stack]);
      },
      leave() {
        stack.pop();
      },
    },
    Argument(node) {
      paths.set(node, [...stack]);
    },
    Directive(node) {
      if (stack.length > 0) paths.set(node, [...stack]);
    },
    SelectionSet(node) {
      if (stack.length > 0) paths.set(node, [...stack]);
    },
  });
  return paths;
}

function translate(error: GraphQLError): string {
  const description =
    error instanceof JavaValidationError
      ? error.description
      : TRANSLATIONS.reduce<string | undefined>((found, [pattern, render]) => {
          if (found) return found;
          const match = pattern.exec(error.message);
          return match ? render(match) : undefined;
        }, undefined);
  return description ? `Validation error of type ${description}` : `Validation error: ${error.message}`;
}

/** Validates a document against the schema; errors are AppSync's. */
export function validateDocument(schema: GraphQLSchema, document: DocumentNode): AppSyncError[] {
  const errors = validate(schema, document, RULES);
  if (errors.length === 0) return [];
  const paths = queryPaths(document);
  return errors.map((error) => {
    const message = translate(error);
    // graphql-java reports operation-level problems without a query path.
    const operationLevel = message.includes('SubscriptionMultipleRootFields');
    const path = error.nodes?.[0] && !operationLevel ? paths.get(error.nodes[0]) : undefined;
    return requestError(`${message}${path ? ` @ '${path.join('/')}'` : ''}`, 'ValidationError', error.locations);
  });
}

/** How deep an operation's field selections nest, fragments included (graphql-java's query depth). */
export function operationDepth(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): number {
  const depth = (selectionSet: SelectionSetNode | undefined, seen: ReadonlySet<string>): number => {
    if (!selectionSet) return 0;
    let deepest = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) deepest = Math.max(deepest, 1 + depth(selection.selectionSet, seen));
      else if (selection.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, depth(selection.selectionSet, seen));
      else if (!seen.has(selection.name.value)) {
        deepest = Math.max(deepest, depth(fragments.get(selection.name.value)?.selectionSet, new Set([...seen, selection.name.value])));
      }
    }
    return deepest;
  };
  return depth(operation.selectionSet, new Set());
}

class VariableProblem extends Error {
  constructor(
    message: string,
    readonly located = true,
  ) {
    super(message);
  }
}

function javaTypeName(value: unknown): string {
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'Double';
  if (Array.isArray(value)) return 'ArrayList';
  return value === null ? 'null' : 'LinkedHashMap';
}

function coerceInput(value: unknown, type: GraphQLInputType, variable: string, field: string): unknown {
  if (isNonNullType(type)) {
    if (value === null || value === undefined) throw new VariableProblem(`Variable '${variable}' has coerced Null value for NonNull type '${String(type)}'`);
    return coerceInput(value, type.ofType, variable, field);
  }
  if (value === null || value === undefined) return null;
  if (isListType(type)) {
    const items = Array.isArray(value) ? value : [value];
    return items.map((item) => coerceInput(item, type.ofType, variable, field));
  }
  if (isInputObjectType(type)) {
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new VariableProblem(`Variable '${field}' has an invalid value. Expected type 'Map' but was '${javaTypeName(value)}'. Variables for input objects must be an instance of type 'Map'.`);
    }
    const fields = type.getFields();
    const input = value as Record<string, unknown>;
    // AppSync's text, trailing space included.
    if (Object.keys(input).some((name) => !fields[name])) {
      throw new VariableProblem(`The variables input contains a field that is not defined for input object type '${type.name}' `, false);
    }
    const coerced: Record<string, unknown> = {};
    for (const definition of Object.values(fields)) {
      if (Object.hasOwn(input, definition.name)) coerced[definition.name] = coerceInput(input[definition.name], definition.type, variable, definition.name);
      else if (definition.defaultValue !== undefined) coerced[definition.name] = definition.defaultValue;
      else if (isNonNullType(definition.type)) throw new VariableProblem(`Variable '${variable}' has coerced Null value for NonNull type '${String(definition.type)}'`);
    }
    return coerced;
  }
  if (isEnumType(type)) {
    const enumValue = typeof value === 'string' ? type.getValue(value) : undefined;
    if (!enumValue) throw new VariableProblem(`Variable '${field}' has an invalid value. Invalid input for Enum '${type.name}'. No value found for name '${String(value)}'`);
    return enumValue.value;
  }
  try {
    const parsed = type.parseValue(value);
    if (parsed === undefined) throw new Error('undefined');
    return parsed;
  } catch (error) {
    const detail = error instanceof ScalarCoercionError ? error.message : `Expected type '${type.name}' but was '${javaTypeName(value)}'.`;
    throw new VariableProblem(`Variable '${field}' has an invalid value. ${detail}`);
  }
}

/** Coerces the request's variables for an operation; errors are AppSync's. */
export function coerceVariables(
  schema: GraphQLSchema,
  definitions: readonly VariableDefinitionNode[],
  inputs: Readonly<Record<string, unknown>>,
): { values: Record<string, unknown> } | { errors: AppSyncError[] } {
  const values: Record<string, unknown> = {};
  for (const definition of definitions) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType;
    try {
      if (!Object.hasOwn(inputs, name)) {
        if (definition.defaultValue) values[name] = valueFromAST(definition.defaultValue, type);
        else if (isNonNullType(type)) throw new VariableProblem(`Variable '${name}' has coerced Null value for NonNull type '${String(type)}'`);
        continue;
      }
      values[name] = coerceInput(inputs[name], type, name, name);
    } catch (error) {
      if (!(error instanceof VariableProblem)) throw error;
      return { errors: [requestError(error.message, 'ValidationError', error.located ? definition.loc && [locationOf(definition)] : null)] };
    }
  }
  return { values };
}

function locationOf(node: ASTNode): { line: number; column: number } {
  const start = node.loc?.startToken;
  return { line: start?.line ?? 1, column: start?.column ?? 1 };
}
