// util.transform.toDynamoDBFilterExpression / toDynamoDBConditionExpression.
//
// The AWS docs show the output loosely (`contains(#title, :title_contains)`); what AppSync really
// returns, as recorded from its EvaluateCode API, differs in spacing and parentheses, and that is
// what is reproduced here:
// - each operator renders wrapped, `(#v = :v_eq)`, functions without a space: `(contains(#v,:v_contains))`;
// - a field with several operators, and an and/or of several members, is wrapped once more;
// - the keys of one object are joined with ` AND ` and not wrapped;
// - value placeholders carry the group path: `:and_0_or_1_a_eq`; names are `#<field>` verbatim;
// - input that cannot be rendered yields null rather than an error.
import { toDynamoDB } from '../util/dynamodb';

/** The rendered expression, as the helpers return it (JSON-encoded). */
export interface DynamoDBExpression {
  expression: string;
  expressionNames: Record<string, string>;
  expressionValues: Record<string, unknown>;
}

class Unrenderable extends Error {
  override name = 'Unrenderable';
}

const COMPARISONS: Record<string, string> = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' };
const FUNCTIONS: Record<string, string> = { contains: 'contains', notContains: 'NOT contains', beginsWith: 'begins_with' };
const ATTRIBUTE_TYPES: Record<string, string> = {
  _null: 'NULL',
  string: 'S',
  stringSet: 'SS',
  number: 'N',
  numberSet: 'NS',
  binary: 'B',
  binarySet: 'BS',
  boolean: 'BOOL',
  list: 'L',
  map: 'M',
};

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class ExpressionBuilder {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};

  object(filter: unknown, prefix: string): string {
    if (!isMap(filter)) throw new Unrenderable();
    const parts: string[] = [];
    for (const [key, value] of Object.entries(filter)) {
      if (key === 'and' || key === 'or') parts.push(this.group(key, value, prefix));
      else if (key === 'not') parts.push(this.not(value, prefix));
      else parts.push(this.field(key, value, prefix));
    }
    return parts.join(' AND ');
  }

  private group(kind: 'and' | 'or', members: unknown, prefix: string): string {
    if (!Array.isArray(members)) throw new Unrenderable();
    const parts = members.map((member, index) => this.object(member, `${prefix}${kind}_${index}_`));
    if (parts.length <= 1) return parts[0] ?? '';
    return `(${parts.join(kind === 'and' ? ' AND ' : ' OR ')})`;
  }

  private not(filter: unknown, prefix: string): string {
    if (!isMap(filter)) throw new Unrenderable();
    return `(NOT ${this.object(filter, `${prefix}not_`)})`;
  }

  private field(field: string, operators: unknown, prefix: string): string {
    const name = `#${field}`;
    this.names[name] = field;
    return this.operators(name, operators, `:${prefix}${field}`);
  }

  private operators(subject: string, operators: unknown, valueBase: string): string {
    if (!isMap(operators)) throw new Unrenderable();
    const parts: string[] = [];
    for (const [operator, operand] of Object.entries(operators)) {
      if (operand === undefined) continue;
      parts.push(this.operator(subject, operator, operand, valueBase));
    }
    if (parts.length <= 1) return parts[0] ?? '';
    return `(${parts.join(' AND ')})`;
  }

  private value(placeholder: string, operand: unknown): string {
    this.values[placeholder] = toDynamoDB(operand);
    return placeholder;
  }

  private operator(subject: string, operator: string, operand: unknown, valueBase: string): string {
    const placeholder = `${valueBase}_${operator}`;
    if (Object.hasOwn(COMPARISONS, operator)) return `(${subject} ${COMPARISONS[operator]} ${this.value(placeholder, operand)})`;
    if (Object.hasOwn(FUNCTIONS, operator)) return `(${FUNCTIONS[operator]}(${subject},${this.value(placeholder, operand)}))`;
    switch (operator) {
      case 'between': {
        if (!Array.isArray(operand) || operand.length < 2) throw new Unrenderable();
        const start = this.value(`${placeholder}_start`, operand[0]);
        const end = this.value(`${placeholder}_end`, operand[1]);
        return `(${subject} BETWEEN ${start} AND ${end})`;
      }
      case 'in': {
        if (!Array.isArray(operand)) throw new Unrenderable();
        if (operand.length === 0) return '(null)';
        const list = operand.map((item, index) => this.value(`${placeholder}_${index}`, item));
        return `(${subject} IN (${list.join(', ')}))`;
      }
      case 'attributeExists':
        if (typeof operand !== 'boolean') throw new Unrenderable();
        return operand ? `(attribute_exists(${subject}))` : `(attribute_not_exists(${subject}))`;
      case 'attributeType': {
        const code = typeof operand === 'string' && Object.hasOwn(ATTRIBUTE_TYPES, operand) ? ATTRIBUTE_TYPES[operand] : undefined;
        if (!code) throw new Unrenderable();
        return `(attribute_type(${subject},${this.value(placeholder, code)}))`;
      }
      case 'size': {
        // a size nested in a size keeps the subject and only extends the value name
        const sized = subject.startsWith('size(') ? subject : `size(${subject})`;
        return this.operators(sized, operand, placeholder);
      }
      default:
        throw new Unrenderable();
    }
  }
}

/** Renders a filter or condition object; null when AppSync would not render it. */
export function renderDynamoDBExpression(filter: unknown): DynamoDBExpression | null {
  if (!isMap(filter)) return null;
  const builder = new ExpressionBuilder();
  try {
    const expression = builder.object(filter, '');
    return { expression, expressionNames: builder.names, expressionValues: builder.values };
  } catch (error) {
    if (error instanceof Unrenderable) return null;
    throw error;
  }
}

/** `util.transform.toDynamoDBFilterExpression` (and the condition variant): a JSON string, or null. */
export function toDynamoDBExpressionString(filter: unknown): string | null {
  const rendered = renderDynamoDBExpression(filter);
  return rendered === null ? null : JSON.stringify(rendered);
}
