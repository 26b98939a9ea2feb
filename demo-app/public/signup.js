// The role buttons of the registration form: "Farmer" reveals and requires the farm fields.
(function () {
  'use strict';
  const roleInput = document.getElementById('role');
  const farmFields = document.getElementById('farm-fields');
  const buttons = document.querySelectorAll('[data-role]');

  function selectRole(role) {
    roleInput.value = role;
    buttons.forEach(function (button) {
      button.setAttribute('aria-pressed', button.dataset.role === role ? 'true' : 'false');
    });
    const farmer = role === 'farmer';
    farmFields.hidden = !farmer;
    ['farmName', 'farmAddress'].forEach(function (id) {
      const input = document.getElementById(id);
      input.required = farmer;
      input.disabled = !farmer;
    });
  }

  buttons.forEach(function (button) {
    button.addEventListener('click', function () {
      selectRole(button.dataset.role);
    });
  });
})();
