import { fireEvent, render, screen } from '@testing-library/react';
import { WindowToggle } from './WindowToggle';

describe('WindowToggle', () => {
  it('marks the chosen window and reports another choice, not a click on the chosen one', () => {
    const onChange = jest.fn();
    render(
      <WindowToggle choices={[7, 30, 90]} days={30} onChange={onChange} />,
    );
    expect(screen.getByRole('button', { name: '30 days' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    fireEvent.click(screen.getByRole('button', { name: '30 days' }));
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: '90 days' }));
    expect(onChange).toHaveBeenCalledWith(90);
  });
});
