import { composeEmail, escapeHtml, formatMoney } from '../../../functions/send-order-email/compose';
import { EXAMPLE_ORDER_ID, validDomainEvent } from '../factories/eventbridge';

describe('composeEmail', () => {
  it('lists an OrderCreated order’s lines and total, in text and HTML', () => {
    const email = composeEmail(validDomainEvent('OrderCreated'), 'Ann');
    expect(email.subject).toBe(`We received your order ${EXAMPLE_ORDER_ID}`);
    expect(email.text).toBe(
      [
        'Hello Ann,',
        '',
        `Thank you for your order ${EXAMPLE_ORDER_ID}.`,
        '',
        '2 x Stoneware mug (MUG-01) at €12.50',
        '1 x Earl Grey, 100 g (TEA-EARL) at €7.99',
        'Total: €32.99',
        '',
        'We will write again when it ships.',
        '',
      ].join('\n'),
    );
    expect(email.html).toContain('<tr><th colspan="2">Total</th><th>€32.99</th></tr>');
  });

  it('words each event type for the customer', () => {
    const subjects = [
      composeEmail(validDomainEvent('OrderStatusChanged')).subject,
      composeEmail(validDomainEvent('OrderCancelled')).subject,
      composeEmail(validDomainEvent('OrderCompleted')).subject,
      composeEmail(validDomainEvent('OrderFailed')).subject,
    ];
    expect(subjects).toEqual([
      `Your order ${EXAMPLE_ORDER_ID} is on its way`,
      `Your order ${EXAMPLE_ORDER_ID} was cancelled`,
      `Your order ${EXAMPLE_ORDER_ID} was delivered`,
      `We could not complete your order ${EXAMPLE_ORDER_ID}`,
    ]);
    expect(composeEmail(validDomainEvent('OrderFailed')).text).toContain('Reason: Payment declined');
  });

  it('escapes customer-controlled text in the HTML part', () => {
    const email = composeEmail(validDomainEvent('OrderCancelled', { data: { reason: '<script>alert("x")</script>' } }), 'Ann & <b>Co</b>');
    expect(email.html).toContain('<p>Hello Ann &#38; &#60;b&#62;Co&#60;/b&#62;,</p>');
    expect(email.html).not.toContain('<script>');
    expect(escapeHtml(`'"`)).toBe('&#39;&#34;');
  });
});

describe('formatMoney', () => {
  it('uses the currency’s own minor unit', () => {
    expect([formatMoney(2500, 'EUR'), formatMoney(2500, 'JPY'), formatMoney(1999, 'GBP')]).toEqual(['€25.00', 'JP¥2,500', '£19.99']);
  });
});
